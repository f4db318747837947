import { client, unwrap } from '../../api';
import { href, Link } from '../../router';
import { amount } from '../../ui/numbers';
import { ErrorBox, since } from '../../ui/parts';
import { useApi } from '../../ui/use-api';
import '../diff/versions.css';
import { versionTag } from './version-tag';

const REFRESH_MS = 5000;

/** The title of a version Kairos did not count in time (`running: null`). */
const NOT_COUNTED = 'Temporal did not count this version in time; the next refresh asks again';

/**
 * Which version each running journey runs now: the one it entered with, until
 * an idle journey (no path running) moves to the active version at its
 * user's next entry (src/domain/machine/routed-entry.ts). So after activating
 * a new version, an older one's count falls as its paths end and its users
 * come back, and its idle journeys stay counted there until they do. Counts
 * from Temporal visibility, refreshed every few seconds.
 */
export function VersionsPanel({ campaignKey, latestVersion, shownVersion, status }: { campaignKey: string; latestVersion: number; shownVersion: number | null; status: string }) {
  // The version shown against the one before it; v1 shown (nothing before it): the latest two.
  const compareTo = shownVersion !== null && shownVersion > 1 ? shownVersion : latestVersion;
  const running = useApi(() => unwrap(client().GET('/v1/campaigns/{key}/running', { params: { path: { key: campaignKey } } })), [campaignKey], REFRESH_MS);
  const r = running.data;
  const most = Math.max(1, ...(r?.versions.map((v) => v.running ?? 0) ?? [1]));
  const uncounted = r?.versions.some((v) => v.running === null) ?? false;
  return (
    <div className="panel" role="region" aria-label="Running journeys per version">
      <h2>Running journeys per version</h2>
      <ErrorBox error={running.error} />
      {r && r.versions.length === 0 && <p className="muted small">No version took entries yet: activate one.</p>}
      {r && r.versions.length > 0 && (
        <table className="running-table small">
          <tbody>
            {r.versions.map((v) => (
              <tr key={v.version} data-testid={`running-v${v.version}`}>
                <th scope="row">
                  v{v.version}
                  {versionTag(v.version, { activeVersion: r.activeVersion, status })}
                </th>
                <td className="num" title={v.running === null ? NOT_COUNTED : undefined}>
                  <b>{amount(v.running)}</b>
                </td>
                <td style={{ width: '45%' }}>
                  {v.running !== null && <span className="running-bar" style={{ width: `${(v.running / most) * 100}%` }} aria-hidden="true" />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {r && (
        <p className="muted small">
          {amount(r.total)} running in all, as Temporal counts them: journeys waiting idle for a next entry (or never entered) included, so this may be more than the states show now. Each counts under the version it runs now: an idle journey moves to the active version with its user's next entry, so an older version keeps its idle journeys counted until their users come back.{uncounted && ' A version marked — was not counted in time (Temporal slow to answer); the total includes its journeys.'} {since(running.at)}.
        </p>
      )}
      {compareTo > 1 && (
        <Link to={href.diff(campaignKey, compareTo - 1, compareTo)}>Compare versions (v{compareTo - 1} → v{compareTo})</Link>
      )}
    </div>
  );
}
