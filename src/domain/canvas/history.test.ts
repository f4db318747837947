import fc from 'fast-check';
import { canRedo, canUndo, commit, redo, startHistory, undo, type History } from './history';

describe('undo / redo history', () => {
  it('undoes and redoes commits in order, and a commit drops the redo future', () => {
    let h = startHistory('a');
    h = commit(commit(h, 'b'), 'c');
    h = undo(h);
    expect(h.present).toBe('b');
    h = undo(h);
    expect([h.present, canUndo(h), canRedo(h)]).toEqual(['a', false, true]);
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe('b');
    h = commit(h, 'd');
    expect([h.present, canRedo(h)]).toEqual(['d', false]);
    expect(commit(h, 'd')).toBe(h);
  });

  it('keeps at most `limit` steps back', () => {
    let h = startHistory(0, 3);
    for (let i = 1; i <= 10; i++) h = commit(h, i);
    expect(h.past).toEqual([7, 8, 9]);
  });

  type Cmd = { kind: 'commit'; value: number } | { kind: 'undo' } | { kind: 'redo' };
  const cmd: fc.Arbitrary<Cmd> = fc.oneof(
    fc.record({ kind: fc.constant('commit' as const), value: fc.integer({ min: 0, max: 5 }) }),
    fc.constant({ kind: 'undo' as const }),
    fc.constant({ kind: 'redo' as const }),
  );

  it('property: behaves like a list of versions with a cursor', () => {
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 60 }), (cmds) => {
        let h: History<number> = startHistory(-1, 1000);
        // The model: every version reachable, and where we are.
        let versions = [-1];
        let at = 0;
        for (const c of cmds) {
          if (c.kind === 'commit') {
            h = commit(h, c.value);
            if (c.value !== versions[at]) {
              versions = [...versions.slice(0, at + 1), c.value];
              at += 1;
            }
          } else if (c.kind === 'undo') {
            h = undo(h);
            at = Math.max(0, at - 1);
          } else {
            h = redo(h);
            at = Math.min(versions.length - 1, at + 1);
          }
          expect([...h.past, h.present, ...h.future]).toEqual(versions);
          expect(h.present).toBe(versions[at]);
        }
      }),
    );
  });
});
