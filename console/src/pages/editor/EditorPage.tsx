import { useState } from 'react';
import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import { client, unwrap } from '../../api';
import { href, Link } from '../../router';
import { ErrorBox, Skeleton } from '../../ui/parts';
import { useApi } from '../../ui/use-api';
import { Editor } from './Editor';
import { blankCampaign } from './editor-model';
import { TemplateGallery } from './TemplateGallery';
import { PageHead } from '../../ui/page-head';

/** `/console/campaigns/:key/edit`: the latest version of a campaign, to save as the next one. */
export function EditCampaignPage({ campaignKey }: { campaignKey: string }) {
  const version = useApi(() => unwrap(client().GET('/v1/campaigns/{key}/versions/{version}', { params: { path: { key: campaignKey, version: 'latest' } } })), [campaignKey]);
  // Kairos refuses a new version of an archived campaign (409): a bookmark or Back must not open a canvas whose work cannot be saved.
  const campaign = useApi(() => unwrap(client().GET('/v1/campaigns/{key}/versions', { params: { path: { key: campaignKey } } })), [campaignKey]);
  const error = version.error ?? campaign.error;
  if (error) {
    return (
      <section>
        <PageHead back={{ to: href.campaigns(), label: 'Campaigns' }} title={`Edit ${campaignKey}`} />
        <ErrorBox error={error} />
      </section>
    );
  }
  if (!version.data || !campaign.data) return <Skeleton lines={6} />;
  if (campaign.data.status === 'archived') {
    return (
      <section>
        <PageHead back={{ to: href.campaign(campaignKey), label: campaignKey }} title={`Edit ${campaignKey}`} />
        <div className="panel" role="status" data-testid="archived-no-edit">
          <p>
            <b>{campaignKey}</b> is archived, and archived is final: it takes no new versions, so there is nothing to edit here.
          </p>
          <p>
            To run it again, start a new campaign (<Link to={href.newCampaign()}>New campaign</Link>) with another key; <Link to={href.campaign(campaignKey)}>its page</Link> still shows its versions and journeys.
          </p>
        </div>
      </section>
    );
  }
  const latest = version.data;
  return <Editor key={campaignKey} initial={latest.definition as unknown as CampaignInput} saved={{ key: campaignKey, version: latest.version }} layout={latest.layout} />;
}

/** `/console/new`: a blank draft, or a template's gallery and form, then the canvas. */
export function NewCampaignPage() {
  const [draft, setDraft] = useState<CampaignInput | null>(null);
  if (draft) return <Editor initial={draft} saved={null} />;
  return <TemplateGallery onBlank={() => setDraft(blankCampaign())} onRendered={setDraft} />;
}

export default function EditorRoute({ campaignKey }: { campaignKey: string | null }) {
  return campaignKey === null ? <NewCampaignPage /> : <EditCampaignPage campaignKey={campaignKey} />;
}
