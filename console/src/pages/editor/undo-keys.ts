/**
 * What a key press does to the canvas's history. Pure: reads only the
 * event's keys and its target's kind.
 *
 * A text field keeps its own keys: an input, a textarea, a select, and a
 * contenteditable (a CodeMirror condition or amount cell is a
 * contenteditable div). Ctrl-Z there must never run the canvas-wide undo,
 * which would take back the last edit made anywhere (a state deleted out of
 * view), not the text in the field.
 *
 * Nor does a key pressed while a dialog is over the page (the "Sign in
 * again" box makes the page inert): the draft under it must stay as it is.
 */
export interface KeyTarget {
  tagName: string;
  isContentEditable?: boolean;
}

export interface UndoKey {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  target: KeyTarget | null;
  /** The key was pressed in a dialog, or the page is inert under one. */
  underDialog?: boolean;
}

const FIELD_TAGS = ['INPUT', 'TEXTAREA', 'SELECT'];

export const isTextField = (t: KeyTarget | null): boolean => t !== null && (FIELD_TAGS.includes(t.tagName) || t.isContentEditable === true);

export function undoKeyAction(e: UndoKey): 'undo' | 'redo' | null {
  if (e.underDialog === true || isTextField(e.target) || !(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'z') return null;
  return e.shiftKey ? 'redo' : 'undo';
}
