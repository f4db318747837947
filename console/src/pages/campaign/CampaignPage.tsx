import { useRef, useState } from 'react';
import { client, unwrap } from '../../api';
import { href, Link, useRouter } from '../../router';
import { useMay } from '../../session';
import { amount } from '../../ui/numbers';
import { Badge, ErrorBox, since, Skeleton, when } from '../../ui/parts';
import { useApi } from '../../ui/use-api';
import { statusTone } from '../campaigns/CampaignsPage';
import { CampaignGraphView } from './CampaignGraphView';
import { EXITED, graphModel } from './graph-model';
import { IntervalsPanel } from './IntervalsPanel';
import { VersionsPanel } from './VersionsPanel';
import { NewerVersionNotice, useOpenedWith } from './NewerVersionNotice';
import { openingVersion } from './newer-version';
import { VersionSelect } from './VersionSelect';
import { versionTag } from './version-tag';
import { activateAgainBody, changedSinceWords, readAgainAfter, resendable, resendNote, storedUntold, type StatusAction, type StoredUntold } from './status-change-failure';
import { PageHead } from '../../ui/page-head';
import { useFocusAfterBusy } from '../../ui/focus-after-busy';

const REFRESH_MS = 4000;

export default function CampaignPage({ campaignKey }: { campaignKey: string }) {
  const operator = useMay('operator');
  const { location, navigate } = useRouter();
  // The version shown is in the URL (?version=N), so a reload or a shared link shows the same one.
  const picked = Number(location.search.get('version'));
  const version = Number.isInteger(picked) && picked > 0 ? picked : null;
  const [automatic, setAutomatic] = useState(false);
  // The versions without their definitions: a campaign gains one at every save, and this page polls.
  const campaign = useApi(() => unwrap(client().GET('/v1/campaigns/{key}/versions', { params: { path: { key: campaignKey } } })), [campaignKey], REFRESH_MS * 3);
  const opened = useOpenedWith(campaignKey, campaign.data);
  // Without ?version, the version the campaign pointed at when the page first read it (the active one, else the latest),
  // kept: a refresh that finds another saved or activated since must not change the graph, or what Activate acts on,
  // under the reader. A notice offers the new one instead.
  const shown = version ?? (opened ? openingVersion(opened) : null);
  const graph = useApi(
    () => (shown === null ? Promise.resolve(null) : unwrap(client().GET('/v1/campaigns/{key}/graph', { params: { path: { key: campaignKey }, query: { version: shown } } }))),
    [campaignKey, shown],
  );
  const funnel = useApi(
    () => (shown === null ? Promise.resolve(null) : unwrap(client().GET('/v1/campaigns/{key}/funnel', { params: { path: { key: campaignKey }, query: { version: shown } } }))),
    [campaignKey, shown],
    REFRESH_MS,
  );
  const model = graph.data ? graphModel(graph.data, funnel.data) : null;
  const open = (id: string) => {
    const url = graph.data?.nodes.find((n) => n.id === id)?.temporalUrl;
    if (url) window.open(url, '_blank', 'noopener');
  };

  const c = campaign.data;
  if (!c && campaign.error) {
    // No campaign to show (unknown key, no access, API away): the error alone, with the way back.
    return (
      <section className="campaign">
        <PageHead back={{ to: href.campaigns(), label: 'Campaigns' }} title={campaignKey} />
        <ErrorBox error={campaign.error} />
      </section>
    );
  }
  if (c && version !== null && !c.versions.some((v) => v.version === version)) {
    // A version in the URL the campaign does not have (a stale link, a typo): said as such, with the way to what it has.
    return (
      <section className="campaign">
        <PageHead back={{ to: href.campaigns(), label: 'Campaigns' }} title={c.name} />
        <div className="error" role="alert" data-testid="no-such-version">
          <strong>
            {campaignKey} has no version {version}: its versions are v1 to v{c.latestVersion}.
          </strong>{' '}
          <Link to={href.campaign(campaignKey)}>Show {c.activeVersion !== null ? `the active version, v${c.activeVersion}` : `the latest, v${c.latestVersion}`}</Link>
        </div>
      </section>
    );
  }
  // Where the canvas placed this version's states, if it saved them.
  const savedPlaces = c?.versions.find((v) => v.version === shown)?.layout ?? null;
  return (
    <section className="campaign">
      <PageHead back={{ to: href.campaigns(), label: 'Campaigns' }} title={c?.name ?? campaignKey}>
        {c && <Badge tone={statusTone(c.status)}>{c.status}</Badge>}
        {c && (
          <label className="inline">
            Version{' '}
            <VersionSelect label="Version shown" value={shown} onPick={(v) => navigate(href.campaign(campaignKey, v))} action={(v) => `Show v${v}`}>
              {c.versions.map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version}
                  {versionTag(v.version, c)}
                </option>
              ))}
            </VersionSelect>
          </label>
        )}
        {savedPlaces && (
          <label className="inline small">
            <input type="checkbox" checked={!automatic} onChange={(e) => setAutomatic(!e.target.checked)} /> as placed in the canvas
          </label>
        )}
        {shown !== null && funnel.at && (
          <span className="muted">
            counts for journeys that entered with v{shown}, all time, {since(funnel.at)}
          </span>
        )}
      </PageHead>
      {c && version === null && opened && shown !== null && <NewerVersionNotice campaignKey={campaignKey} shown={shown} opened={opened} now={c} />}
      {/* Each part's failure said on its own, named: one (a 429 on the versions read) never hides another (the graph's, the counts'). */}
      <ErrorBox about={campaign.at ? `Status and versions, shown ${since(campaign.at)}:` : 'Status and versions:'} error={campaign.error} />
      <ErrorBox about={funnel.at ? `Counts of v${shown}, shown ${since(funnel.at)}:` : `Counts of v${shown}:`} error={funnel.error} />
      {model && <ErrorBox about={`Graph of v${shown}:`} error={graph.error} />}
      <div className="campaign-body">
        {model ? (
          <CampaignGraphView model={model} selected={new Set()} onOpen={open} saved={automatic ? null : savedPlaces} />
        ) : (
          <div className="graph">
            {/* Not a placeholder beside an error: said as not drawn, why, and a way to ask again (a lost answer or a 5xx is also asked again by itself). */}
            {graph.error ? (
              <div className="panel" data-testid="graph-unread">
                <p>The graph of v{shown} could not be read, so it is not drawn:</p>
                <ErrorBox error={graph.error} />
                <button type="button" aria-busy={graph.loading} onClick={graph.reload}>
                  Read the graph again
                </button>
              </div>
            ) : (
              <Skeleton lines={8} height={40} />
            )}
          </div>
        )}
        <aside className="side">
          {operator && c && shown !== null && <Controls campaignKey={campaignKey} status={c.status} version={shown} activeVersion={c.activeVersion} latestVersion={c.latestVersion} onDone={campaign.reload} />}
          {graph.data && (
            <div className="panel">
              <h2>Exits</h2>
              {graph.data.exitOn.length === 0 ? (
                <p className="muted">No exitOn: paths end only in end states.</p>
              ) : (
                <ul className="plain">
                  {graph.data.exitOn.map((e) => (
                    <li key={e.label}>
                      on <code>{e.label}</code>
                    </li>
                  ))}
                </ul>
              )}
              {model?.exited !== null && model?.exited !== undefined && (
                <p>
                  <b data-testid="exited-count">{amount(model.exited)}</b> {model.exited === 1 ? 'path' : 'paths'} exited: <code>{EXITED}</code> in the funnel
                </p>
              )}
            </div>
          )}
          {c && <VersionsPanel campaignKey={campaignKey} latestVersion={c.latestVersion} shownVersion={shown} status={c.status} />}
          {graph.data && <IntervalsPanel campaignKey={campaignKey} version={shown} nodes={graph.data.nodes} />}
          {model?.edges.some((e) => e.countShared) && (
            <div className="panel muted small">* taken counts all transitions between the same two states: the funnel counts them together.</div>
          )}
          {c && (
            <div className="panel muted small">
              Created {when(c.createdAt)}; last change {when(c.updatedAt)}.{graph.data?.nodes.some((n) => n.temporalUrl) ? ' Click a state to see its journeys in the Temporal UI.' : ''}
            </div>
          )}
        </aside>
      </div>
    </section>
  );
}

function Controls({
  campaignKey,
  status,
  version,
  activeVersion,
  latestVersion,
  onDone,
}: {
  campaignKey: string;
  status: 'draft' | 'active' | 'paused' | 'archived';
  version: number;
  activeVersion: number | null;
  latestVersion: number;
  onDone: () => void;
}) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  // The last change Kairos stored without Temporal taking its news (a 503 that asks for it again): what Send again repeats.
  const [stored, setStored] = useState<StoredUntold | null>(null);
  // Send again found the campaign changed since the stored change (a resume, another version): said in its place.
  const [changed, setChanged] = useState<string | null>(null);
  const answer = useRef<HTMLDivElement>(null);
  useFocusAfterBusy(busy, answer);
  const send = async (what: StatusAction, sent: number, request: () => Promise<unknown>, doneText: string) => {
    setBusy(true);
    setError(null);
    setDone(null);
    setStored(null);
    setChanged(null);
    try {
      await request();
      setDone(doneText);
      onDone();
    } catch (e) {
      setError(e);
      setStored(storedUntold(e, what, sent, activeVersion));
      // A conflict names what the campaign is now, and a 5xx may have been stored: the page reads it at once rather than
      // showing the old status beside that message.
      if (readAgainAfter(e)) onDone();
    } finally {
      setBusy(false);
    }
  };
  const path = { params: { path: { key: campaignKey } } };
  const act = async (what: StatusAction) => {
    if (what === 'archive' && !window.confirm(`Archive ${campaignKey}? Archived campaigns take no more events, and their journeys end once no path runs. This cannot be undone.`)) return;
    // Going back to an older version sends new entries (and journeys moving on re-entry) to it: asked, as a rollback is.
    if (what === 'activate' && activeVersion !== null && version < activeVersion && !window.confirm(`Activate v${version} of ${campaignKey}, older than the active v${activeVersion}? New entries will run v${version}.`)) return;
    // Only from the status and active version on the screen (what the question above was asked from): a pause or
    // another activation that landed since is a 409 naming it, not undone by this click.
    const request = () =>
      what === 'activate'
        ? unwrap(client().POST('/v1/campaigns/{key}/activate', { ...path, body: { version, ifStatus: [status], ifActiveVersion: activeVersion } }))
        : what === 'pause'
          ? unwrap(client().POST('/v1/campaigns/{key}/pause', { ...path, body: {} }))
          : unwrap(client().POST('/v1/campaigns/{key}/archive', { ...path, body: {} }));
    await send(what, version, request, what === 'activate' ? `Activated v${version}.` : what === 'pause' ? 'Paused: no new entries.' : 'Archived.');
  };
  // A pause or an archive takes no precondition, and the page's last read may be old (the Send again stays until the
  // next refresh): the campaign is read just before, and one resumed or changed since is not paused again by this click.
  // A read that fails sends nothing and leaves Send again to try once more.
  const stillAsStored = async (s: StoredUntold): Promise<boolean> => {
    setBusy(true);
    setError(null);
    setDone(null);
    setChanged(null);
    try {
      const now = await unwrap(client().GET('/v1/campaigns/{key}/versions', path));
      if (resendable(s, now)) return true;
      setStored(null);
      setChanged(changedSinceWords(s, now));
      onDone();
    } catch (e) {
      setError(e);
    }
    setBusy(false);
    return false;
  };
  // The stored change once more, from the campaign as it is now (the version's own Activate is disabled once it shows active).
  const again = async (s: StoredUntold) => {
    if (s.what !== 'activate' && !(await stillAsStored(s))) return;
    const request = () =>
      s.what === 'activate'
        ? unwrap(client().POST('/v1/campaigns/{key}/activate', { ...path, body: activateAgainBody(s) }))
        : unwrap(client().POST(s.what === 'pause' ? '/v1/campaigns/{key}/pause' : '/v1/campaigns/{key}/archive', { ...path, body: {} }));
    await send(s.what, s.version, request, s.what === 'activate' ? `Sent the activation of v${s.version} again: Kairos took it.` : `Sent the ${s.what} again: Kairos took it.`);
  };
  const resend = stored !== null && resendable(stored, { status, activeVersion }) ? stored : null;
  const activeShown = status === 'active' && activeVersion === version;
  return (
    <div className="panel" aria-label="Campaign controls" role="region">
      <h2>Controls</h2>
      <div className="buttons">
        <button type="button" className="primary" disabled={busy || activeShown || status === 'archived'} onClick={() => void act('activate')}>
          Activate v{version}
        </button>
        {status === 'archived' ? (
          // Kairos refuses a new version of an archived campaign (409 campaign_archived): no canvas to save from.
          <span className="muted">Archived is final: no new versions.</span>
        ) : (
          <Link to={href.edit(campaignKey)} className="button" title={version === latestVersion ? undefined : `The canvas edits the latest version, v${latestVersion}: a save adds the next one.`}>
            {version === latestVersion ? 'Edit in the canvas' : `Edit the latest (v${latestVersion}) in the canvas`}
          </Link>
        )}
        <button type="button" disabled={busy || status !== 'active'} onClick={() => void act('pause')}>
          Pause
        </button>
        <button type="button" disabled={busy || status === 'archived'} onClick={() => void act('archive')}>
          Archive
        </button>
      </div>
      {/* Where the keyboard focus goes when the button pressed was disabled by its own request (useFocusAfterBusy). */}
      <div ref={answer} tabIndex={-1} data-testid="controls-answer">
        {done && (
          <p className="muted" role="status">
            {done}
          </p>
        )}
        <ErrorBox error={error} />
        {changed && (
          <p className="notice" role="status" data-testid="changed-since">
            {changed}
          </p>
        )}
        {resend && (
          <p className="resend" data-testid="send-again">
            <button type="button" disabled={busy} onClick={() => void again(resend)}>
              Send again
            </button>{' '}
            <span className="muted small">{resendNote(resend)}</span>
          </p>
        )}
      </div>
    </div>
  );
}
