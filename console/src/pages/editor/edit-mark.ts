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

export function editMark(now = Date.now()): EditMark | undefined {
  const el = document.activeElement;
  if (!el || !TEXT_LIKE(el)) return undefined;
  let id = ids.get(el);
  if (id === undefined) {
    id = `field-${++next}`;
    ids.set(el, id);
  }
  return { group: id, at: now };
}
