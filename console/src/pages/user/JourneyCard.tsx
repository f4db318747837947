import { useEffect, useState } from 'react';
import { client, unwrap } from '../../api';
import { amount } from '../../ui/numbers';
import { Badge, ErrorBox, when } from '../../ui/parts';
import { useReloadOnChange } from '../../ui/reload-on-change';
import { useApi } from '../../ui/use-api';
import type { paths } from '../../../../clients/ts/src/schema';
import { enteredWords, isUnreadable, journeyBadge, runMark, traceCutNote, traceRefreshMs } from './journey-view';
import { traceMark, type UserJourney } from './trace-mark';
import { traceInWords, valuesWords, type KnownEvent, type LedgerReach, type LedgerReward, type TraceGroup } from './trace-words';

/**
 * One journey: where it is, and the decision trace in words, newest first.
 * `ledger` and `events` are the user's rewards and recent events: they name
 * what was issued and say which events support cancelled. The page polls
 * the listing, rewards and events once for every card; the trace is asked
 * for again when they show it may have grown, and otherwise only every
 * TRACE_FALLBACK_MS while the run is running (journey-view.ts).
 */
export function JourneyCard({
  journey,
  userId,
  ledger: ledgerRead,
  ledgerReach,
  events: eventsRead,
}: {
  journey: UserJourney;
  userId: string;
  ledger: LedgerReward[] | undefined;
  /** How much of the user's ledger `ledger` is: a cancel's "nothing to take back" needs all of it. */
  ledgerReach: LedgerReach;
  events: KnownEvent[] | undefined;
}) {
  // A closed run the API cannot read (409 journey_unreadable) never will be: once it said so, the card stops asking,
  // until the listing shows another run (the workflow id stays; a new run's status and close time do not).
  const run = runMark(journey);
  const [unreadableRun, setUnreadableRun] = useState<string | null>(null);
  const unreadable = unreadableRun === run;
  const detail = useApi(
    () => unwrap(client().GET('/v1/journeys/{campaign}/{user}', { params: { path: { campaign: journey.campaign, user: userId } } })),
    [journey.workflowId],
    traceRefreshMs(journey, unreadable),
  );
  useEffect(() => {
    if (isUnreadable(detail.error)) setUnreadableRun(run);
    // Only a new answer says so: the run it is about is the one listed when it came.
  }, [detail.error]);
  // Rewards and events not read yet (undefined) are no news: their first answer does not ask for the trace again.
  useReloadOnChange(ledgerRead && eventsRead && !unreadable ? traceMark(journey, ledgerRead, eventsRead) : null, detail.reload);
  const ledger = ledgerRead ?? [];
  const events = eventsRead ?? [];
  const badge = journeyBadge(journey);
  return (
    <article className="card" aria-label={`Journey in ${journey.campaign}`}>
      <header className="card-head">
        <strong>{journey.campaign}</strong> <span className="muted">v{journey.version ?? '?'}</span>
        <Badge tone={badge.tone}>{badge.text}</Badge>
        <Whereabouts state={journey.state} finished={detail.data?.finished} />
        {journey.held > 0 && <Badge tone="held">{amount(journey.held)} held</Badge>}
        {/* Refused at the door (the audience, participation): no entry to date; the trace below says why. Not read: no entry claimed. */}
        <span className="muted" data-testid="journey-entered">
          {enteredWords(journey, when(journey.enteredAt))}
        </span>
        {journey.temporalUrl && (
          <a href={journey.temporalUrl} target="_blank" rel="noreferrer">
            Temporal UI
          </a>
        )}
      </header>
      <ErrorBox error={detail.error} />
      {detail.data && (
        <Trace groups={traceInWords(detail.data.trace, { campaign: journey.campaign, rewards: detail.data.rewards, ledger, ledgerReach, events })} cut={traceCutNote(detail.data.trace)} />
      )}
    </article>
  );
}

type JourneyDetail = paths['/v1/journeys/{campaign}/{user}']['get']['responses'][200]['content']['application/json'];

/**
 * Where the journey is: its current state, else where its last path ended
 * (an ended or idle journey has no current state; a dash said nothing).
 */
function Whereabouts({ state, finished }: { state: string | null; finished: JourneyDetail['finished'] | undefined }) {
  if (state) {
    return (
      <span data-testid="journey-where">
        now in <b className="mono">{state}</b>
      </span>
    );
  }
  const last = finished?.reduce<JourneyDetail['finished'][number] | undefined>((latest, f) => (!latest || f.endedAt >= latest.endedAt ? f : latest), undefined);
  if (!last) return null;
  // An end state needs no more words than its name; an exit says where the path was, and why.
  if (last.ending === 'exit') {
    return (
      <span data-testid="journey-where">
        exited while in <b className="mono">{last.state}</b> <span className="muted">({last.reason})</span>
      </span>
    );
  }
  return (
    <span data-testid="journey-where">
      ended in <b className="mono">{last.state}</b>
    </span>
  );
}

/** `cut`: said when the journey no longer keeps its oldest decisions (traceCutNote), so the list does not pass for the whole story. */
function Trace({ groups, cut }: { groups: TraceGroup[]; cut: string | null }) {
  if (groups.length === 0) return <p className="muted">No decisions recorded yet.</p>;
  return (
    <details open className="trace">
      <summary>Why: the decisions, newest first</summary>
      {cut && (
        <p className="muted small" data-testid="trace-cut">
          {cut}
        </p>
      )}
      <ol>
        {groups.map((g, i) => (
          // Counted from the oldest: a new group arrives on top without renumbering the others.
          <li key={groups.length - i} data-testid="trace-group" className={g.kind === 'cancellation' ? 'trace-cancellation' : undefined}>
            <span className="muted small">{when(g.at)}</span> <span className="trace-cause">{g.cause}</span>
            {g.lines.length > 0 && (
              <ul>
                {g.lines.map((l, j) => (
                  <li key={j} className="trace-line">
                    {l.text}
                    {l.failed && l.failed.length > 0 && (
                      <ul className="failed">
                        {l.failed.map((c) => (
                          <li key={c.transition}>
                            <span className="mono">{c.transition}</span> did not fire:{' '}
                            {c.failed.map((f) => (
                              <span key={f.text}>
                                <code>{f.text}</code> was false ({valuesWords(f.values)}){' '}
                              </span>
                            ))}
                          </li>
                        ))}
                      </ul>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
    </details>
  );
}
