import { KairosApiError } from '../../api';
import { LIMITS } from '../../../../src/domain/machine/state';
import type { UserJourney } from './trace-mark';
import type { TraceEntry } from './trace-words';

/**
 * A running journey's trace can grow where the page's lists show nothing new
 * (a message or webhook answered in the state it is in): asked again this
 * seldom all the same, so N cards cost N requests a half-minute, not N each
 * of the page's refreshes.
 */
export const TRACE_FALLBACK_MS = 30_000;

/** Temporal's execution statuses (lower case, as the listing gives them) that end a run badly. */
const FAILED = new Set(['failed', 'terminated', 'timed_out']);

/** A run that is over: its trace no longer grows. The listing gives `closedAt` for one, and its status says so. */
export function journeyClosed(journey: Pick<UserJourney, 'status' | 'closedAt'>): boolean {
  const status = journey.status.toLowerCase();
  return journey.closedAt !== null || (status !== 'running' && status !== 'paused' && status !== 'unspecified' && status !== 'unknown');
}

/**
 * The status badge of a journey card, in words and colour. From the journey
 * itself when it answered; when it did not (`journeyStatus` null: no worker
 * in time, or a closed run that never loaded its campaign, which never
 * will), from Temporal's execution status: a failed, terminated or timed-out
 * run in the error colour, one that completed or was cancelled as ended.
 * Never the running colour for a run that is not running.
 */
export function journeyBadge(journey: Pick<UserJourney, 'status' | 'closedAt' | 'journeyStatus' | 'held'>): { tone: 'ok' | 'held' | 'ended' | 'error' | 'neutral'; text: string } {
  const status = journey.status.toLowerCase();
  const text = status.replace(/_/g, ' ');
  // A run that failed or was terminated is said so even when it answered where it was (a replayed query).
  if (FAILED.has(status)) return { tone: 'error', text };
  if (journey.journeyStatus === 'ended') return { tone: 'ended', text: 'ended' };
  if (journey.journeyStatus !== null) return { tone: journey.held > 0 ? 'held' : 'ok', text: journey.journeyStatus };
  if (journeyClosed(journey)) return { tone: 'ended', text };
  // Running, but it did not say where it is (no worker answered in time): no claim that all is well.
  return { tone: 'neutral', text };
}

/**
 * When the journey entered, as the card says it: "not entered" when every
 * try was refused, and no time at all when the journey could not be asked
 * (`entries` null): the listing's time is then only when the run started,
 * and a run that failed before loading its campaign never entered anything.
 */
export function enteredWords(journey: Pick<UserJourney, 'entries'>, at: string): string {
  if (journey.entries === null) return 'its state could not be read';
  return journey.entries === 0 ? `not entered (tried ${at})` : `entered ${at}`;
}

/** The journey API's 409 `journey_unreadable`: a closed run that cannot answer, and asking again will not change that. */
export function isUnreadable(error: unknown): boolean {
  return error instanceof KairosApiError && error.status === 409 && error.body?.error.code === 'journey_unreadable';
}

/**
 * How often a card asks for its journey's trace by itself: every
 * TRACE_FALLBACK_MS while the run is running, never once it is over (its
 * trace no longer grows; the listing's line, in traceMark, still asks again
 * should the run's status change), nor once the API said it cannot be read
 * (`unreadable`: isUnreadable of an answer).
 */
export function traceRefreshMs(journey: Pick<UserJourney, 'status' | 'closedAt' | 'journeyStatus'>, unreadable: boolean): number | undefined {
  if (journey.journeyStatus === 'ended' || journeyClosed(journey) || unreadable) return undefined;
  return TRACE_FALLBACK_MS;
}

/**
 * Which run of a journey the listing shows: a new run (the same workflow id)
 * has another status or close time. A card's "cannot be read" holds for the
 * run it was said of.
 */
export function runMark(journey: Pick<UserJourney, 'status' | 'closedAt'>): string {
  return JSON.stringify([journey.status, journey.closedAt]);
}

/** The decisions a journey keeps (src/domain/machine/state.ts): each new one past this drops the oldest. */
export const TRACE_KEPT = LIMITS.traceEntries;

/**
 * Whether `trace` may have lost the journey's oldest decisions. Only two
 * things drop entries: a new one once TRACE_KEPT are kept (the trace then
 * stays at TRACE_KEPT), and a journey grown too heavy to continue as new
 * (carry-weight.ts), which says so in a note of its own ("12 older trace
 * entries dropped"). Shorter than the bound, without that note, the trace
 * starts where the journey did.
 */
export function traceCut(trace: TraceEntry[]): 'bound' | 'weight' | null {
  if (trace.length >= TRACE_KEPT) return 'bound';
  return trace.some((t) => t.notes.some((n) => /\d+ older trace entries dropped/.test(n.message))) ? 'weight' : null;
}

/**
 * Said above a journey's trace when it may not hold every decision, rather
 * than show a list cut short as the whole story; null when it starts where
 * the journey did.
 */
export function traceCutNote(trace: TraceEntry[]): string | null {
  const history = 'the Temporal UI history has every input';
  switch (traceCut(trace)) {
    case 'bound':
      return `The journey keeps only its newest ${TRACE_KEPT} decisions; older decisions are not kept (${history}).`;
    case 'weight':
      return `Older decisions are not kept: the journey dropped some when its state grew too heavy (${history}).`;
    case null:
      return null;
  }
}
