import { useEffect, useRef, useState } from 'react';
import { client, unwrap } from '../../api';
import { ErrorBox } from '../../ui/parts';
import { useApi } from '../../ui/use-api';
import { askedWords, shownPreview, type PreviewAsked } from './preview-asked';
import { marksFor, unmarkedWhy, type Drawn } from './preview-marks';
import { previewProperties } from './preview-properties';
import { previewActionWords, previewBodyText, previewWaitWords } from './preview-words';
import { EVENT_TYPES_LIST } from './vocabulary';

type Preview = Awaited<ReturnType<typeof runPreview>>;
type Live = Awaited<ReturnType<typeof liveJourneys>>['journeys'];

function runPreview(key: string, userId: string, type: string, properties: Record<string, unknown>) {
  return unwrap(client().POST('/v1/campaigns/{key}/preview', { params: { path: { key } }, body: { userId, event: { type, properties } } }));
}

function liveJourneys(key: string) {
  return unwrap(client().GET('/v1/campaigns/{key}/journeys', { params: { path: { key }, query: { limit: 50 } } }));
}

/** `{"user.level": "1"}` as "user.level = 1". */
const valuesText = (values: Record<string, string>) => Object.entries(values).map(([k, v]) => `${k} = ${v}`).join(', ');

/**
 * What one event would do for one user now, with nothing issued. For a user
 * with a running journey (pick one from the list) the journey answers from its
 * live state: its state, its aggregates so far, its pinned version. Otherwise a
 * new journey of the active version. The parts of conditions that did not hold
 * are listed with the values they read. The answer is for the fields as they
 * were when Preview was pressed: the last press wins, and an edit to a field
 * puts the answer (and its marks on the canvas) away. Its path is marked on
 * the canvas only while `canvas` draws the version it answers, unchanged
 * (preview-marks).
 */
export function PreviewPanel({ campaignKey, canvas, onResult }: { campaignKey: string; canvas: Drawn; onResult: (transitions: Array<{ from: string | null; to: string }>) => void }) {
  const [userId, setUserId] = useState('preview-user');
  const [type, setType] = useState('order.completed');
  const [props, setProps] = useState('{"amount": 25}');
  const [kept, setKept] = useState<{ asked: PreviewAsked; answer: Preview } | null>(null);
  const shown = shownPreview(kept, { userId, type, props });
  const result = shown?.answer ?? null;
  const [error, setError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);
  // The last Preview wins: a slow answer (a live journey's workflow answering late) for fields asked before must not replace it.
  const lastAsked = useRef(0);
  // The canvas marks what the answer shown says, and nothing once it is put away. onResult is kept aside: a new function from the parent is no new answer.
  const onResultRef = useRef(onResult);
  onResultRef.current = onResult;
  const marked = marksFor(result, canvas);
  useEffect(() => onResultRef.current(marked ?? []), [marked]);
  const unmarked = result ? unmarkedWhy(result, canvas) : null;
  // Read as the panel opens and again when the picker is focused. A failure is said with the API's words under the
  // picker (Temporal visibility slow or away, a proxy's 502), and asked again by itself as one-off loads are (use-api.ts);
  // meanwhile the user field still takes any id.
  const liveList = useApi(() => liveJourneys(campaignKey), [campaignKey]);
  const live: Live | null = liveList.data?.journeys ?? null;
  // One entry a user (a user's paths are listed apart); the list asks for the latest 50.
  const liveUsers = [...new Map((live ?? []).map((j) => [j.userId, j])).values()];

  const run = async () => {
    const mine = ++lastAsked.current;
    const asked = { userId, type, props };
    setError(null);
    // Not an object, a key twice, a whole number past 2^53: refused here, since JSON.parse would change what is sent.
    const read = previewProperties(props);
    if (!read.ok) {
      setKept(null);
      setRunning(false);
      setError(new Error(read.message));
      return;
    }
    setRunning(true);
    try {
      const answer = await runPreview(campaignKey, userId, type, read.properties);
      if (mine === lastAsked.current) setKept({ asked, answer });
    } catch (e) {
      if (mine !== lastAsked.current) return;
      setKept(null);
      setError(e);
    } finally {
      if (mine === lastAsked.current) setRunning(false);
    }
  };
  return (
    <div className="panel" role="region" aria-label="Preview">
      <h2>Preview</h2>
      <label className="field">
        Running journey
        <select aria-label="Running journey" value={live?.some((j) => j.userId === userId) ? userId : ''} onChange={(e) => e.target.value && setUserId(e.target.value)} onFocus={liveList.reload}>
          <option value="">
            {live === null ? (liveList.error ? 'could not list them (type a user below)' : 'loading…') : liveUsers.length === 0 ? 'none running now' : `choose one of ${liveUsers.length}${live.length >= 50 ? ', the latest (type any user below)' : ''}…`}
          </option>
          {liveUsers.map((j) => (
            <option key={j.workflowId} value={j.userId}>
              {j.userId}: in {j.state} (v{j.version})
            </option>
          ))}
        </select>
      </label>
      <ErrorBox about="Running journeys:" error={liveList.error} />
      <label className="field">
        User
        <input aria-label="Preview user" value={userId} onChange={(e) => setUserId(e.target.value)} />
      </label>
      <label className="field">
        Event type
        <input aria-label="Preview event type" list={EVENT_TYPES_LIST} value={type} onChange={(e) => setType(e.target.value)} />
      </label>
      <label className="field">
        Properties (JSON)
        <input aria-label="Preview properties" value={props} onChange={(e) => setProps(e.target.value)} />
      </label>
      <button type="button" aria-busy={running} onClick={() => void run()}>
        Preview
      </button>
      <ErrorBox error={error} />
      {shown && result && (
        <div data-testid="preview-result" className="small">
          <p>
            {askedWords(shown.asked)}: v{result.version}, {result.basedOn === 'journey' ? "this user's journey (its live state)" : 'new journey'}: {result.entered ? 'enters' : result.basedOn === 'journey' ? 'no new entry' : 'does not enter'}
            {result.refusedBecause ? ` (${result.refusedBecause})` : ''}
          </p>
          {unmarked && (
            <p className="notice" role="note" data-testid="preview-unmarked">
              {unmarked}
            </p>
          )}
          <ul className="plain">
            {result.transitions.map((t, i) => (
              <li key={i}>
                {t.from ?? 'entry'} → <b>{t.to}</b> <span className="muted">({t.cause})</span>
              </li>
            ))}
            {result.rewards.map((r) => (
              <li key={r.stepId} className={r.refused ? 'preview-failed' : undefined}>
                {previewActionWords(r.action)}
                {r.refused && <> — would be held: {r.refused}</>}
              </li>
            ))}
            {result.messages.map((m) => (
              <li key={m.stepId}>
                {previewActionWords(m.action)}
                {m.notBefore && <span className="muted"> — {previewWaitWords(m.notBefore)}</span>}
              </li>
            ))}
            {result.webhooks.map((w) => (
              <li key={w.stepId} data-testid="preview-webhook">
                {previewActionWords(w.action)} <span className="muted">with body</span> <code>{previewBodyText(w.action)}</code>
              </li>
            ))}
          </ul>
          {result.conditions.length > 0 && (
            <div data-testid="preview-conditions">
              <h3>Did not hold</h3>
              <ul className="plain">
                {result.conditions.map((c, i) => (
                  <li key={i} className="preview-failed">
                    <span className="muted">{c.where === 'entry.if' ? 'entry condition' : c.where}:</span> <code>{c.text}</code>
                    {Object.keys(c.values).length > 0 && <> with {valuesText(c.values)}</>}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <details>
            <summary>Decision notes</summary>
            <ul className="plain">
              {result.notes.map((n, i) => (
                <li key={i} className="muted">
                  {n}
                </li>
              ))}
            </ul>
          </details>
        </div>
      )}
    </div>
  );
}
