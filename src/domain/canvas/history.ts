/**
 * Undo and redo for the canvas: a past, a present and a future of whole
 * definitions. The edits share what they did not change, so keeping whole
 * values is cheap and undo is exact (no inverse operations to get wrong).
 */
export interface History<T> {
  readonly past: readonly T[];
  readonly present: T;
  readonly future: readonly T[];
  /** How many steps back are kept; the oldest go first. */
  readonly limit: number;
}

export function startHistory<T>(present: T, limit = 200): History<T> {
  return { past: [], present, future: [], limit: Math.max(1, limit) };
}

/** A new present; the redo future is dropped, as in every editor. Committing the present itself changes nothing. */
export function commit<T>(history: History<T>, next: T): History<T> {
  if (Object.is(next, history.present)) return history;
  const past = [...history.past, history.present];
  return { ...history, past: past.slice(Math.max(0, past.length - history.limit)), present: next, future: [] };
}

export const canUndo = <T>(history: History<T>): boolean => history.past.length > 0;
export const canRedo = <T>(history: History<T>): boolean => history.future.length > 0;

export function undo<T>(history: History<T>): History<T> {
  if (!canUndo(history)) return history;
  return {
    ...history,
    past: history.past.slice(0, -1),
    present: history.past[history.past.length - 1],
    future: [history.present, ...history.future],
  };
}

export function redo<T>(history: History<T>): History<T> {
  if (!canRedo(history)) return history;
  return {
    ...history,
    past: [...history.past, history.present],
    present: history.future[0],
    future: history.future.slice(1),
  };
}
