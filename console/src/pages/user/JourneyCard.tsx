import { client, unwrap, type Schemas } from '../../api';
import { Badge, ErrorBox, when } from '../../ui/parts';
import { useApi } from '../../ui/use-api';
import type { paths } from '../../../../clients/ts/src/schema';

type UserJourney = paths['/v1/users/{id}/journeys']['get']['responses'][200]['content']['application/json']['journeys'][number];
type Journey = paths['/v1/journeys/{campaign}/{user}']['get']['responses'][200]['content']['application/json'];
type TraceEntry = Journey['trace'][number];

/** One journey: where it is, and the decision trace in words, newest first. */
export function JourneyCard({ journey, userId }: { journey: UserJourney; userId: string }) {
  const detail = useApi(() => unwrap(client().GET('/v1/journeys/{campaign}/{user}', { params: { path: { campaign: journey.campaign, user: userId } } })), [journey.workflowId]);
  const tone = journey.journeyStatus === 'ended' ? 'ended' : journey.held > 0 ? 'held' : 'ok';
  return (
    <article className="card" aria-label={`Journey in ${journey.campaign}`}>
      <header className="card-head">
        <strong>{journey.campaign}</strong> <span className="muted">v{journey.version ?? '?'}</span>
        <Badge tone={tone}>{journey.journeyStatus ?? journey.status}</Badge>
        <span>
          now in <b className="mono">{journey.state ?? '—'}</b>
        </span>
        {journey.held > 0 && <Badge tone="held">{journey.held} held</Badge>}
        <span className="muted">entered {when(journey.enteredAt)}</span>
        {journey.temporalUrl && (
          <a href={journey.temporalUrl} target="_blank" rel="noreferrer">
            Temporal UI
          </a>
        )}
      </header>
      <ErrorBox error={detail.error} />
      {detail.data && <Trace trace={detail.data.trace} />}
    </article>
  );
}

function Trace({ trace }: { trace: TraceEntry[] }) {
  if (trace.length === 0) return <p className="muted">No decisions recorded yet.</p>;
  return (
    <details open className="trace">
      <summary>Why: the decisions, newest first</summary>
      <ol>
        {[...trace].reverse().map((t, i) => (
          <li key={`${t.at}-${i}`}>
            <span className="muted">{when(t.at)}</span> <span className="mono">{t.input}</span>
            <ul>
              {t.notes.map((n, j) => (
                <li key={j}>
                  {n.message}
                  {n.candidates && n.candidates.some((c) => !c.result) && (
                    <ul className="failed">
                      {n.candidates
                        .filter((c) => !c.result)
                        .map((c) => (
                          <li key={c.transition}>
                            <span className="mono">{c.transition}</span> did not fire:{' '}
                            {c.failed.map((f) => (
                              <span key={f.text}>
                                <code>{f.text}</code> was false ({Object.entries(f.values).map(([k, v]) => `${k} = ${v}`).join(', ') || 'no values'}){' '}
                              </span>
                            ))}
                          </li>
                        ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </details>
  );
}

export type { Schemas };
