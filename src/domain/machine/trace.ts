/**
 * The decision trace: for each input, what the machine decided and why (which
 * transition fired, or for each candidate which part of its condition failed
 * with what values). Operators read it through the `state` query, so it is
 * bounded: a few notes per input, short values, the last entries only.
 */
import type { ConditionTrace } from '../conditions';

export interface TraceEntry {
  at: string;
  /** What came in, e.g. "event order.completed ord-1001" or "timer p1/collecting/1/1". */
  input: string;
  notes: TraceNote[];
}

export type TraceNoteKind =
  | 'entered'
  | 'refused'
  | 'transition'
  | 'noTransition'
  | 'waiting'
  | 'action'
  | 'outcome'
  | 'ignored'
  | 'exit'
  | 'cancel'
  | 'end'
  /** A step failed for good and waits for an operator (written by the workflow, see held-trace.ts). */
  | 'held'
  /** An idle journey moved to the version a new entry was routed to. */
  | 'version';

export interface TraceNote {
  kind: TraceNoteKind;
  pathId?: string;
  message: string;
  /** For noTransition: each candidate and why it did not fire. */
  candidates?: CandidateTrace[];
}

export interface CandidateTrace {
  transition: string;
  result: boolean;
  failed: Array<{ text: string; values: Record<string, string> }>;
}

const MAX_NOTES = 40;
const MAX_CANDIDATES = 10;
const MAX_LEAVES = 5;
const MAX_VALUE_CHARS = 120;
/**
 * A transition's description or a condition's text as the trace keeps it: a
 * condition may be as long as a campaign allows (hundreds of KiB), and the
 * trace rides in the state query's answer and in every continue-as-new.
 */
const MAX_TEXT_CHARS = 200;

/** A note's message (it may quote a condition, a transition or an action's summary), and a journey-log cause. */
export const MAX_MESSAGE_CHARS = 500;

/** The text cut to `max` characters, an ellipsis marking the cut. */
export const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** `always`: a note that explains why the journey stopped, kept even past the bound (one per path at most). */
export function addNote(notes: TraceNote[], note: TraceNote, always = false): void {
  const kept = note.message.length > MAX_MESSAGE_CHARS ? { ...note, message: clip(note.message, MAX_MESSAGE_CHARS) } : note;
  if (always || notes.length < MAX_NOTES) notes.push(kept);
  else if (notes.length === MAX_NOTES) notes.push({ kind: 'ignored', message: 'further notes omitted' });
}

export function candidateTrace(transition: string, explained: ConditionTrace | null, result: boolean): CandidateTrace {
  const leaves = explained ? explained.leaves.filter((l) => l.result === result || !result).slice(0, MAX_LEAVES) : [];
  return {
    transition: clip(transition, MAX_TEXT_CHARS),
    result,
    failed: result ? [] : leaves.filter((l) => !l.result).map((l) => ({ text: clip(l.text, MAX_TEXT_CHARS), values: shortValues(l.values) })),
  };
}

export function boundCandidates(candidates: CandidateTrace[]): CandidateTrace[] {
  return candidates.slice(0, MAX_CANDIDATES);
}

function shortValues(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values).slice(0, 8)) out[clip(k, MAX_VALUE_CHARS)] = short(v);
  return out;
}

export function short(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return clip(text, MAX_VALUE_CHARS);
}
