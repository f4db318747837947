import { useEffect, useRef, useState } from 'react';
import { client, unwrap } from '../../api';
import { href, Link, replaceUrl, useRouter } from '../../router';
import { useMay } from '../../session';
import { Empty, ErrorBox, since, Skeleton, when } from '../../ui/parts';
import { useApi } from '../../ui/use-api';
import { PageHead } from '../../ui/page-head';
import { randomId } from '../../ui/random-id';
import { focusAfter, keySpent, mayStillApply } from './held-decision';
import { heldEmptyText } from './held-empty';
import { heldOnSeveralPaths, heldStepName } from './held-name';

const REFRESH_MS = 5000;

const heldId = (h: { workflowId: string; pathId: string; stepId: string }) => `${h.workflowId}/${h.pathId}/${h.stepId}`;

type Decision = 'retry' | 'skip';
type HeldStep = { campaign: string; userId: string; stepId: string; pathId: string; workflowId: string; runId: string; since: string };

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
  // A decision handed to its journey that did not answer in time (503 without Retry-After): it may still apply.
  const [handed, setHanded] = useState<{ step: HeldStep; what: Decision } | null>(null);
  // Where focus goes once the list is read again after a decision: a decided row leaves the list with its focused
  // button, which would drop a keyboard operator to the top of the page. Rows' buttons by `${heldId}#retry|skip`.
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const placed = (key: string) => (el: HTMLButtonElement | null) => {
    if (el) buttons.current.set(key, el);
    else buttons.current.delete(key);
  };
  const word = useRef<HTMLParagraphElement>(null);
  const refocus = useRef<{ decided: string; what: Decision; next: string | null; leaves: boolean; reads: number; at: Date | null } | null>(null);
  useEffect(() => {
    const r = refocus.current;
    if (!r || !held.data || held.at === r.at) return;
    r.at = held.at;
    const listed = held.data.held.some((h) => heldId(h) === r.decided);
    // A decided step leaves the list once its journey has taken the decision: a read or two later at most.
    if (listed && r.leaves && ++r.reads < 3) return;
    refocus.current = null;
    // Only where focus was lost (it went with the row, or the button was disabled meanwhile): one who moved on keeps it.
    const active = document.activeElement;
    if (active !== null && active !== document.body) return;
    const target = (listed ? buttons.current.get(`${r.decided}#${r.what}`) : undefined) ?? (r.next !== null ? buttons.current.get(`${r.next}#retry`) : undefined) ?? word.current;
    target?.focus();
  }, [held.at, held.data]);
  // The held step a decision is on its way for: its buttons wait, so a double click sends one decision, not two.
  const [deciding, setDeciding] = useState<string | null>(null);
  const inFlight = useRef(false); // holds before React has drawn the disabled buttons (two clicks in one frame)
  // Each decision's Idempotency-Key by `${heldId}#${what}#${since}`, kept while no answer said what became of it:
  // deciding the same again after a 503 decision_pending or a dropped connection is then carried out once. A step
  // held again (the retry ran and failed) has another `since`, so a new decision on it gets a new key.
  const keys = useRef(new Map<string, string>());
  const decide = async (h: HeldStep, what: Decision) => {
    if (inFlight.current) return;
    // Skipping cannot be taken back: the journey goes on without the step.
    if (what === 'skip' && !window.confirm(`Skip ${heldStepName(h, held.data?.held ?? [])}? It gives nothing and will not run again; the journey goes on without it (the steps after it run).`)) return;
    inFlight.current = true;
    setDeciding(heldId(h));
    setError(null);
    setDone(null);
    setHanded(null);
    const ids = held.data?.held.map(heldId) ?? [];
    let leaves = false;
    const keyOf = `${heldId(h)}#${what}#${h.since}`;
    const key = keys.current.get(keyOf) ?? randomId();
    keys.current.set(keyOf, key);
    try {
      const params = { params: { path: { campaign: h.campaign, user: h.userId }, header: { 'idempotency-key': key } }, body: { stepId: h.stepId, pathId: h.pathId, runId: h.runId, since: h.since } };
      if (what === 'retry') await unwrap(client().POST('/v1/journeys/{campaign}/{user}/retry', params));
      else await unwrap(client().POST('/v1/journeys/{campaign}/{user}/skip', params));
      setDone(
        what === 'retry'
          ? `Retrying ${h.stepId} for ${h.userId}: the journey runs it again, and holds it here again if it fails for good.`
          : `Skipped ${h.stepId} for ${h.userId}: the journey goes on without it.`,
      );
      leaves = true;
      keys.current.delete(keyOf);
    } catch (e) {
      if (keySpent({ error: e })) keys.current.delete(keyOf);
      // Handed over but not answered: not a refusal, so no red box; the list, read again, shows whether it applied.
      if (mayStillApply(e)) setHanded({ step: h, what });
      else setError(e);
    } finally {
      inFlight.current = false;
      setDeciding(null);
      // Whatever the answer: a refusal may be one because the step was decided or held again meanwhile, or its journey
      // moved to another run (409 not_held, run_changed: the decision names the run and hold shown), so the
      // list is read again at once rather than showing the stale row until the next refresh.
      refocus.current = { decided: heldId(h), what, next: focusAfter(ids, heldId(h)), leaves, reads: 0, at: held.at };
      held.reload();
    }
  };
  // Each row's name for its buttons reads the others (a step held on several paths names its path).
  const rows = held.data?.held ?? [];
  return (
    <section>
      <PageHead title="Held steps">
        <span className="muted">actions that failed for good and wait for an operator, {since(held.at)}</span>
      </PageHead>
      {/* The list's failure and the decision's own, each said: one must not hide the other. */}
      <ErrorBox error={held.error} />
      <ErrorBox error={error} />
      {done && (
        <p ref={word} tabIndex={-1} className="ok-box" role="status" data-testid="held-done">
          {done}
        </p>
      )}
      {handed && (
        <p ref={word} tabIndex={-1} className="notice" role="status" data-testid="held-may-apply">
          {handed.what === 'retry' ? 'Retry' : 'Skip'} of <span className="mono">{handed.step.stepId}</span> sent, but no worker has taken it yet: it may
          still apply when one runs, and the list below shows the step until then. Look at{' '}
          <Link to={href.user(handed.step.userId)}>{handed.step.userId}</Link>’s journey in {handed.step.campaign} (its held steps and trace) before deciding
          otherwise; {handed.what === 'retry' ? 'Retry' : 'Skip'} again is carried out once, whatever became of this one.
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
                  <div className="muted small">
                    state {h.state}
                    {heldOnSeveralPaths(h, rows) && `, path ${h.pathId}`}
                  </div>
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
                      <button ref={placed(`${heldId(h)}#retry`)} type="button" disabled={deciding !== null} onClick={() => void decide(h, 'retry')} aria-label={`Retry ${heldStepName(h, rows)}`}>
                        Retry
                      </button>
                      <button ref={placed(`${heldId(h)}#skip`)} type="button" disabled={deciding !== null} onClick={() => void decide(h, 'skip')} aria-label={`Skip ${heldStepName(h, rows)}`}>
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
