import { useState } from 'react';
import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import { client, unwrap } from '../../api';
import { href } from '../../router';
import { ErrorBox, Skeleton } from '../../ui/parts';
import { useApi } from '../../ui/use-api';
import { Editor } from './Editor';
import { blankCampaign } from './editor-model';
import { TemplateGallery } from './TemplateGallery';
import { PageHead } from '../../ui/page-head';

/** `/console/campaigns/:key/edit`: the latest version of a campaign, to save as the next one. */
export function EditCampaignPage({ campaignKey }: { campaignKey: string }) {
  const version = useApi(() => unwrap(client().GET('/v1/campaigns/{key}/versions/{version}', { params: { path: { key: campaignKey, version: 'latest' } } })), [campaignKey]);
  if (version.error) {
    return (
      <section>
        <PageHead back={{ to: href.campaigns(), label: 'Campaigns' }} title={`Edit ${campaignKey}`} />
        <ErrorBox error={version.error} />
      </section>
    );
  }
  if (!version.data) return <Skeleton lines={6} />;
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
