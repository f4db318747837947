import { client, unwrap } from '../../api';
import { href, reloadAfterAsking } from '../../router';
import { ErrorBox, when } from '../../ui/parts';
import { useApi } from '../../ui/use-api';
import type { VersionConflict } from './save-version';

/**
 * A save refused with 409: someone saved a version after the one this edit
 * started from. Says which version is current and when it was saved, and
 * offers what can be done: compare (in a new tab, so the draft stays),
 * reload the latest (the draft is dropped), or save anyway on top of it.
 * The diff opens with rel="opener": a new tab then starts with a copy of this
 * tab's session storage, which holds the key, instead of asking for it.
 * Save anyway goes on top of the version named here (`onForce(latest)`), so
 * it waits until that is known: one saved after this box was shown is
 * another conflict, not something overwritten unseen. A read of the latest
 * that failed is said here, with a way to read it again: the box would
 * otherwise wait for it for ever.
 */
export function VersionConflictBox({ conflict, onForce, busy }: { conflict: VersionConflict; onForce: (onto: number) => void; busy: boolean }) {
  const read = useApi(() => unwrap(client().GET('/v1/campaigns/{key}/versions/{version}', { params: { path: { key: conflict.key, version: 'latest' } } })), [conflict]);
  const saved = read.data;
  const latest = saved?.version ?? null;
  const unread = read.error && !saved ? read.error : null;
  const reload = () => {
    if (window.confirm(`Reload version ${latest ?? 'latest'}? Your unsaved changes here are dropped (copy them from the JSON or YAML view first if you need them).`)) reloadAfterAsking();
  };
  return (
    <div className="error version-conflict" role="alert" data-testid="version-conflict">
      <strong>Not saved: version {latest ?? '…'} is newer than the version {conflict.baseVersion} you started from.</strong>
      <p>
        {saved ? `Version ${saved.version} was saved ${when(saved.createdAt)}. ` : ''}
        Saving again from this draft is refused the same way: see what changed, reload the latest version (this draft is dropped), or save this draft on top of it.
      </p>
      {unread && (
        <div data-testid="latest-unread">
          <p>Which version is the latest could not be read, so saving on top of it waits until it is:</p>
          <ErrorBox error={unread} />
          <button type="button" aria-busy={read.loading} onClick={read.reload}>
            Read the latest again
          </button>
        </div>
      )}
      <div className="buttons">
        {latest !== null && (
          <a className="button" href={href.diff(conflict.key, conflict.baseVersion, latest)} target="_blank" rel="opener">
            See what changed (v{conflict.baseVersion} → v{latest})
          </a>
        )}
        <button type="button" onClick={reload}>
          Reload v{latest ?? '…'}
        </button>
        <button type="button" disabled={busy || latest === null} title={latest !== null ? undefined : unread ? 'Which version is the latest could not be read: read it again first' : 'Waiting to learn which version is the latest'} onClick={() => latest !== null && onForce(latest)}>
          Save mine anyway as v{latest !== null ? latest + 1 : '…'}
        </button>
      </div>
    </div>
  );
}
