import { commit, redo, startHistory, undo, type History } from '../../../../src/domain/canvas/history';
import { markFor, type EditKind } from './edit-mark';

type Def = { states: string[] };

/** An edit as the editor commits it (Editor's apply): marked by the focused field, or not, by the kind of move. */
const edit = (h: History<Def>, next: Def, kind: EditKind, field: string | undefined, at: number) => commit(h, next, markFor(kind, field, at));

describe('which edits share an undo step', () => {
  it('joins keystrokes in one field within the pause, not across fields', () => {
    let h = startHistory<Def>({ states: ['a'] });
    h = edit(h, { states: ['a', 'x'] }, 'typed', 'field-1', 0);
    h = edit(h, { states: ['a', 'xy'] }, 'typed', 'field-1', 500);
    h = edit(h, { states: ['a', 'xy', 'z'] }, 'typed', 'field-2', 600);
    expect(undo(h).present).toEqual({ states: ['a', 'xy'] });
    expect(undo(undo(h)).present).toEqual({ states: ['a'] });
  });

  it('makes each state added with Enter a step of its own, though the "New state name" field keeps the focus', () => {
    let h = startHistory<Def>({ states: ['a'] });
    // "b" Enter, "c" Enter, within a second, the field focused throughout.
    h = edit(h, { states: ['a', 'b'] }, 'step', 'field-1', 0);
    h = edit(h, { states: ['a', 'b', 'c'] }, 'step', 'field-1', 400);
    const once = undo(h);
    expect(once.present).toEqual({ states: ['a', 'b'] });
    expect(redo(once).present).toEqual({ states: ['a', 'b', 'c'] });
    expect(markFor('step', 'field-1', 0)).toBeUndefined();
    expect(markFor('typed', undefined, 0)).toBeUndefined();
    expect(markFor('typed', 'field-1', 7)).toEqual({ group: 'field-1', at: 7 });
  });

  it('does not join typing to the state added just before it in the same field', () => {
    let h = startHistory<Def>({ states: ['a'] });
    h = edit(h, { states: ['a', 'b'] }, 'step', 'field-1', 0);
    h = edit(h, { states: ['a', 'bb'] }, 'typed', 'field-1', 100);
    expect(undo(h).present).toEqual({ states: ['a', 'b'] });
  });
});
