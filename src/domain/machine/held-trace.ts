/**
 * The decision trace of a step held for an operator: the workflow holds a
 * step that failed for good, outside `step`, so it writes these entries
 * itself. They change only what the `state` query answers, never what the
 * journey does. An operator's skip needs none: it reaches `step` as the
 * step's `skipped` outcome.
 */
import { LIMITS, pushBounded, type JourneyState } from './state';
import type { TraceEntry } from './trace';

export interface HeldStep {
  pathId: string;
  stepId: string;
  /** What the step does, e.g. "webhook https://crm.example/hook". */
  summary: string;
}

/** The input line of a held step's entry: `held <stepId>` (read back by the console). */
const HELD_INPUT = 'held';
/** The input line of an operator's retry: `operator retry <stepId>`. */
const RETRIED_INPUT = 'operator retry';

export function heldEntry(s: HeldStep, error: string, at: string): TraceEntry {
  return { at, input: `${HELD_INPUT} ${s.stepId}`, notes: [{ kind: 'held', pathId: s.pathId, message: `${s.summary} failed for good: ${error}; held until an operator retries or skips it` }] };
}

export function retriedEntry(s: HeldStep, at: string): TraceEntry {
  return { at, input: `${RETRIED_INPUT} ${s.stepId}`, notes: [{ kind: 'action', pathId: s.pathId, message: `an operator retried ${s.summary}` }] };
}

/** Appends `entry` within the trace's bound, as `step` does. */
export function appendTrace(state: JourneyState, entry: TraceEntry): void {
  pushBounded(state.trace, entry, LIMITS.traceEntries);
}
