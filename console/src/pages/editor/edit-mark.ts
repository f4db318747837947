import type { EditMark } from '../../../../src/domain/canvas/history';

/**
 * Which field an edit comes from, so the history joins one field's
 * keystrokes into one undo step (src/domain/canvas/history.ts). Read from
 * the focused element rather than threaded through every panel: an edit
 * made while typing comes from the field that has focus (an input, a
 * textarea, CodeMirror's content); a click on a button or a choice in a
 * select carries no mark and is always a step of its own.
 */
const ids = new WeakMap<Element, string>();
let next = 0;

const TEXT_LIKE = (el: Element): boolean =>
  el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(el.type)) || (el instanceof HTMLElement && el.isContentEditable);

/**
 * What an editing move is. `typed`: a field's value changing as it is typed,
 * joined with that field's next keystrokes. `step`: a move that makes
 * something (a state added with Enter, a transition drawn), always an undo
 * step of its own, even when a text field keeps the focus through it (the
 * "New state name" field does after Enter: two states added within a second
 * were one step).
 */
export type EditKind = 'typed' | 'step';

/** The mark an edit commits with: the focused field's (`field`, when one has focus) for a typed edit, none for a step. Pure. */
export function markFor(kind: EditKind, field: string | undefined, now: number): EditMark | undefined {
  return kind === 'typed' && field !== undefined ? { group: field, at: now } : undefined;
}

/** A stable name for the text field that has focus, if one has. */
function focusedField(): string | undefined {
  const el = document.activeElement;
  if (!el || !TEXT_LIKE(el)) return undefined;
  let id = ids.get(el);
  if (id === undefined) {
    id = `field-${++next}`;
    ids.set(el, id);
  }
  return id;
}

export function editMark(kind: EditKind = 'typed', now = Date.now()): EditMark | undefined {
  return markFor(kind, focusedField(), now);
}
