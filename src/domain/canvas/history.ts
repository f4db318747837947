/**
 * Undo and redo for the canvas: a past, a present and a future of whole
 * definitions. The edits share what they did not change, so keeping whole
 * values is cheap and undo is exact (no inverse operations to get wrong).
 *
 * Typing commits on every keystroke; consecutive edits of the same field
 * (the same `group`) with no pause longer than `pauseMs` between them become
 * one undo step, so Ctrl-Z takes back a word, not a letter. Time is passed in
 * (`at`), so the model stays pure and testable.
 */
export interface History<T> {
  readonly past: readonly T[];
  readonly present: T;
  readonly future: readonly T[];
  /** How many steps back are kept; the oldest go first. */
  readonly limit: number;
  /** The edit group the present came from and when it was last edited; a later commit in the same group within the pause joins it. */
  readonly open?: { readonly group: string; readonly at: number };
}

/** How long a pause between two keystrokes in one field ends an undo step. */
export const DEFAULT_PAUSE_MS = 1000;

export function startHistory<T>(present: T, limit = 200): History<T> {
  return { past: [], present, future: [], limit: Math.max(1, limit) };
}

/** What an edit says about itself: the field it came from (any stable name) and when (epoch ms). Edits without one are each a step. */
export interface EditMark {
  group: string;
  at: number;
  pauseMs?: number;
}

/**
 * A new present; the redo future is dropped, as in every editor. Committing
 * the present itself changes nothing. With a mark in the same group as the
 * previous commit and within the pause, the new present replaces the
 * previous one instead of adding a step.
 */
export function commit<T>(history: History<T>, next: T, mark?: EditMark): History<T> {
  if (Object.is(next, history.present)) return history;
  const open = mark ? { group: mark.group, at: mark.at } : undefined;
  const last = history.open;
  if (mark && last && last.group === mark.group && mark.at >= last.at && mark.at - last.at <= (mark.pauseMs ?? DEFAULT_PAUSE_MS)) {
    return { ...history, present: next, future: [], open };
  }
  const past = [...history.past, history.present];
  return { ...history, past: past.slice(Math.max(0, past.length - history.limit)), present: next, future: [], open };
}

export const canUndo = <T>(history: History<T>): boolean => history.past.length > 0;
export const canRedo = <T>(history: History<T>): boolean => history.future.length > 0;

export function undo<T>(history: History<T>): History<T> {
  if (!canUndo(history)) return history;
  // An undo closes the open step: typing again afterwards is a step of its own.
  return {
    ...history,
    open: undefined,
    past: history.past.slice(0, -1),
    present: history.past[history.past.length - 1],
    future: [history.present, ...history.future],
  };
}

export function redo<T>(history: History<T>): History<T> {
  if (!canRedo(history)) return history;
  return {
    ...history,
    open: undefined,
    past: [...history.past, history.present],
    present: history.future[0],
    future: history.future.slice(1),
  };
}
