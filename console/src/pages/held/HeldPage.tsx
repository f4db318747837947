import { useEffect, useRef, useState } from 'react';
import { client, unwrap } from '../../api';
import { href, Link, replaceUrl, useRouter } from '../../router';
import { useMay } from '../../session';
import { Empty, ErrorBox, since, Skeleton, when } from '../../ui/parts';
import { useApi } from '../../ui/use-api';
import { PageHead } from '../../ui/page-head';
import { heldEmptyText } from './held-empty';

const REFRESH_MS = 5000;

const heldId = (h: { workflowId: string; pathId: string; stepId: string }) => `${h.workflowId}/${h.pathId}/${h.stepId}`;

/** What is stuck: held steps across campaigns, with Retry and Skip for operators. */
export default function HeldPage() {
  const operator = useMay('operator');
  const { location } = useRouter();
  // The page's position is in the address (?cursor=), so a reload stays on it.
  const [cursor, setCursorState] = useState<string | undefined>(() => location.search.get('cursor') ?? undefined);
  const setCursor = (next: string | undefined) => {
    setCursorState(next);
    replaceUrl(`${href.held()}${next ? `?cursor=${encodeURIComponent(next)}` : ''}`);
  };
  // A navigation to this page (the top bar's link, Back) names its position anew: the page follows its address.
  useEffect(() => setCursorState(location.search.get('cursor') ?? undefined), [location]);
  const held = useApi(() => unwrap(client().GET('/v1/held-steps', { params: { query: cursor ? { cursor } : {} } })), [cursor], REFRESH_MS);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  // The held step a decision is on its way for: its buttons wait, so a double click sends one decision, not two.
  const [deciding, setDeciding] = useState<string | null>(null);
  const inFlight = useRef(false); // holds before React has drawn the disabled buttons (two clicks in one frame)
  const decide = async (h: { campaign: string; userId: string; stepId: string; pathId: string; workflowId: string }, what: 'retry' | 'skip') => {
    if (inFlight.current) return;
    // Skipping cannot be taken back: the journey goes on without the step.
    if (what === 'skip' && !window.confirm(`Skip ${h.stepId} for ${h.userId} in ${h.campaign}? It gives nothing and will not run again; the journey goes on without it (the steps after it run).`)) return;
    inFlight.current = true;
    setDeciding(heldId(h));
    setError(null);
    setDone(null);
    try {
      const params = { params: { path: { campaign: h.campaign, user: h.userId } }, body: { stepId: h.stepId, pathId: h.pathId } };
      if (what === 'retry') await unwrap(client().POST('/v1/journeys/{campaign}/{user}/retry', params));
      else await unwrap(client().POST('/v1/journeys/{campaign}/{user}/skip', params));
      setDone(
        what === 'retry'
          ? `Retrying ${h.stepId} for ${h.userId}: the journey runs it again, and holds it here again if it fails for good.`
          : `Skipped ${h.stepId} for ${h.userId}: the journey goes on without it.`,
      );
      held.reload();
    } catch (e) {
      setError(e);
    } finally {
      inFlight.current = false;
      setDeciding(null);
    }
  };
  return (
    <section>
      <PageHead title="Held steps">
        <span className="muted">actions that failed for good and wait for an operator, {since(held.at)}</span>
      </PageHead>
      <ErrorBox error={held.error ?? error} />
      {done && (
        <p className="ok-box" role="status" data-testid="held-done">
          {done}
        </p>
      )}
      {!held.data && !held.error && <Skeleton lines={4} />}
      {held.data && held.data.unanswered.length > 0 && (
        <div className="error" role="alert" data-testid="held-unanswered">
          {held.data.unanswered.length} held {held.data.unanswered.length === 1 ? 'journey' : 'journeys'} did not say which steps they hold: no worker answered in time (is the worker running, or very busy?). Their steps show here once one does.
          <ul>
            {held.data.unanswered.map((u) => (
              <li key={u.workflowId}>
                {u.campaign} / <Link to={href.user(u.userId)}>{u.userId}</Link>
                {u.temporalUrl && (
                  <>
                    {' '}
                    <a href={u.temporalUrl} target="_blank" rel="noreferrer" className="small">
                      Temporal UI
                    </a>
                  </>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {held.data && held.data.held.length === 0 && held.data.unanswered.length === 0 && <Empty>{heldEmptyText(cursor !== undefined)}</Empty>}
      {held.data && held.data.held.length > 0 && !operator && <p className="muted small">Retry and Skip need an operator key; this key can look.</p>}
      {held.data && held.data.held.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Where</th>
              <th scope="col">Step</th>
              <th scope="col">Since</th>
              <th scope="col">Why</th>
              {operator && <th scope="col">Decide</th>}
            </tr>
          </thead>
          <tbody>
            {held.data.held.map((h) => (
              <tr key={heldId(h)} aria-busy={deciding === heldId(h)}>
                <td>
                  {h.campaign} / <Link to={href.user(h.userId)}>{h.userId}</Link>
                  <div className="muted small">state {h.state}</div>
                  {h.temporalUrl && (
                    <a href={h.temporalUrl} target="_blank" rel="noreferrer" className="small">
                      Temporal UI
                    </a>
                  )}
                </td>
                <td>
                  <span className="mono">{h.stepId}</span>
                  <div className="small">{h.summary}</div>
                </td>
                <td>{when(h.since)}</td>
                <td className="small">{h.error}</td>
                {operator && (
                  <td>
                    <div className="buttons">
                      <button type="button" disabled={deciding !== null} onClick={() => void decide(h, 'retry')} aria-label={`Retry ${h.stepId} for ${h.userId}`}>
                        Retry
                      </button>
                      <button type="button" disabled={deciding !== null} onClick={() => void decide(h, 'skip')} aria-label={`Skip ${h.stepId} for ${h.userId}`}>
                        Skip
                      </button>
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="buttons">
        {cursor && (
          <button type="button" onClick={() => setCursor(undefined)}>
            First page
          </button>
        )}
        {held.data?.next && (
          <button type="button" onClick={() => setCursor(held.data?.next ?? undefined)}>
            Next page
          </button>
        )}
      </div>
    </section>
  );
}
