import { useMemo } from 'react';
import { client, unwrap } from '../../api';
import { href, useRouter } from '../../router';
import { ErrorBox, Skeleton, when } from '../../ui/parts';
import { useApi } from '../../ui/use-api';
import { toYaml } from '../editor/yaml-text';
import { DiffGraphView } from './DiffGraphView';
import { edgeChangeText, graphDiff } from './graph-diff';
import { TextDiffView } from './TextDiffView';
import './versions.css';
import { PageHead } from '../../ui/page-head';
import { versionTag } from '../campaign/version-tag';
import { VersionSelect } from '../campaign/VersionSelect';

const graphOf = (key: string, version: number | null) =>
  version === null ? Promise.resolve(null) : unwrap(client().GET('/v1/campaigns/{key}/graph', { params: { path: { key }, query: { version } } }));
const versionOf = (key: string, version: number | null) =>
  version === null ? Promise.resolve(null) : unwrap(client().GET('/v1/campaigns/{key}/versions/{version}', { params: { path: { key, version: String(version) } } }));

/**
 * `/console/campaigns/:key/diff?from=A&to=B`: what changed from version A to
 * version B, drawn on the graph (states and transitions added, removed,
 * changed) and as a text diff of the two definitions. Without versions in the
 * URL: the one before the latest against the latest.
 */
export default function DiffPage({ campaignKey }: { campaignKey: string }) {
  const { location, navigate } = useRouter();
  // The list without definitions, then the two definitions compared: not every version's.
  const campaign = useApi(() => unwrap(client().GET('/v1/campaigns/{key}/versions', { params: { path: { key: campaignKey } } })), [campaignKey]);
  const c = campaign.data;
  const asked = (name: string) => {
    const v = Number(location.search.get(name));
    return Number.isInteger(v) && v > 0 ? v : null;
  };
  const to = asked('to') ?? c?.latestVersion ?? null;
  const from = asked('from') ?? (to !== null ? Math.max(1, to - 1) : null);
  const before = useApi(() => graphOf(campaignKey, from), [campaignKey, from]);
  const after = useApi(() => graphOf(campaignKey, to), [campaignKey, to]);
  const diff = useMemo(() => (before.data && after.data ? graphDiff(before.data, after.data) : null), [before.data, after.data]);
  const older = useApi(() => versionOf(campaignKey, from), [campaignKey, from]);
  const newer = useApi(() => versionOf(campaignKey, to), [campaignKey, to]);
  const failed = campaign.error ?? before.error ?? after.error ?? older.error ?? newer.error;
  // A from or to that is no version number is not used: say so rather than quietly compare others.
  const ignored = (['from', 'to'] as const).filter((name) => location.search.has(name) && asked(name) === null).map((name) => `${name}=${location.search.get(name)}`);
  const pick = (which: 'from' | 'to', v: number) => navigate(href.diff(campaignKey, which === 'from' ? v : (from ?? v), which === 'to' ? v : (to ?? v)));

  const select = (which: 'from' | 'to', value: number | null) => (
    <label className="inline">
      {which === 'from' ? 'Compare' : 'with'}{' '}
      <VersionSelect label={which === 'from' ? 'Older version' : 'Newer version'} value={value} onPick={(v) => pick(which, v)} action={(v) => `Compare v${v}`}>
        {/* A version asked in the URL that the campaign does not have: shown as asked (its 404 is below), not as the first one listed. */}
        {value !== null && c && !c.versions.some((v) => v.version === value) && (
          <option value={value} disabled>
            v{value} (no such version)
          </option>
        )}
        {c?.versions.map((v) => (
          <option key={v.version} value={v.version}>
            v{v.version}
            {versionTag(v.version, c)} · {when(v.createdAt)}
          </option>
        ))}
      </VersionSelect>
    </label>
  );

  return (
    <section className="campaign diff-page">
      <PageHead back={{ to: href.campaign(campaignKey), label: c?.name ?? campaignKey }} title="Compare versions">
        {c && select('from', from)}
        {c && select('to', to)}
      </PageHead>
      <ErrorBox error={failed} />
      {ignored.length > 0 && c && from !== null && to !== null && (
        <p className="muted small" role="status">
          {ignored.join(' and ')} {ignored.length === 1 ? 'is' : 'are'} not a version number: comparing v{from} with v{to}.
        </p>
      )}
      {diff && (
        <p className="diff-legend" data-testid="diff-summary">
          <span>
            v{from} → v{to}: <b>{diff.counts.added}</b> added, <b>{diff.counts.removed}</b> removed, <b>{diff.counts.changed}</b> changed (states and transitions).
          </span>
          <span className="diff-tag diff-tag-added">added</span>
          <span className="diff-tag diff-tag-removed">removed</span>
          <span className="diff-tag diff-tag-changed">changed</span>
        </p>
      )}
      <div className="campaign-body">
        {diff ? <DiffGraphView diff={diff} /> : failed ? null : <div className="graph"><Skeleton lines={8} height={40} /></div>}
        <aside className="side">
          {diff && (
            <div className="panel" role="region" aria-label="Changes">
              <h2>Changes</h2>
              {diff.counts.added + diff.counts.removed + diff.counts.changed === 0 && diff.exitOn.every((e) => e.change === 'same') ? (
                <p className="muted">{from === to ? (c?.latestVersion === 1 ? `${campaignKey} has one version: there is nothing to compare it with yet.` : `v${from} compared with itself: pick another version.`) : 'The two versions draw the same graph.'}</p>
              ) : (
                <ul className="plain small">
                  {diff.nodes.filter((n) => n.change !== 'same').map((n) => (
                    <li key={`n-${n.id}`}>
                      <span className={`diff-tag diff-tag-${n.change}`}>{n.change}</span> state <code>{n.id}</code>
                      {n.notes.length > 0 && `: ${n.notes.join('; ')}`}
                    </li>
                  ))}
                  {diff.edges.filter((e) => e.change !== 'same').map((e) => (
                    <li key={`e-${e.id}`}>
                      <span className={`diff-tag diff-tag-${e.change}`}>{e.change}</span> {e.source} → {e.target}: {edgeChangeText(e)}
                    </li>
                  ))}
                  {diff.exitOn.filter((x) => x.change !== 'same').map((x) => (
                    <li key={`x-${x.label}`}>
                      <span className={`diff-tag diff-tag-${x.change}`}>{x.change}</span> exit on {x.label}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </aside>
      </div>
      {!failed && <h2 style={{ marginTop: 16 }}>Definitions (YAML)</h2>}
      {from !== null && to !== null && older.data && newer.data ? (
        <TextDiffView before={toYaml(older.data.definition)} after={toYaml(newer.data.definition)} from={from} to={to} />
      ) : failed ? null : (
        <Skeleton lines={6} />
      )}
    </section>
  );
}
