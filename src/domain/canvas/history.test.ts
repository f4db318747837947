import fc from 'fast-check';
import { canRedo, canUndo, commit, DEFAULT_PAUSE_MS, redo, startHistory, undo, type History } from './history';

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

  describe('coalescing the keystrokes of one field', () => {
    const typed = (h: History<string>, text: string, group: string, start: number, gap: number) =>
      [...text].reduce((acc, _, i) => commit(acc, text.slice(0, i + 1), { group, at: start + i * gap }), h);

    it('makes one undo step of a word typed in one field without a pause', () => {
      const h = typed(startHistory(''), 'amount', 'cell-1', 0, 120);
      expect(h.present).toBe('amount');
      expect(h.past).toEqual(['']);
      expect(undo(h).present).toBe('');
      expect(redo(undo(h)).present).toBe('amount');
    });

    it('starts a new step after a pause longer than the pause, or in another field, or after an unmarked edit', () => {
      let h = commit(commit(startHistory('a'), 'ab', { group: 'x', at: 0 }), 'abc', { group: 'x', at: 999 });
      expect(h.past).toEqual(['a']);
      h = commit(h, 'abcd', { group: 'x', at: 999 + 1001 });
      expect(h.past).toEqual(['a', 'abc']);
      h = commit(h, 'abcde', { group: 'y', at: 2001 });
      expect(h.past).toEqual(['a', 'abc', 'abcd']);
      h = commit(h, 'state added');
      h = commit(h, 'state added, typed', { group: 'y', at: 2002 });
      expect(h.past).toEqual(['a', 'abc', 'abcd', 'abcde', 'state added']);
      // A custom pause.
      const slow = commit(commit(startHistory(0), 1, { group: 'n', at: 0, pauseMs: 5000 }), 2, { group: 'n', at: 4000, pauseMs: 5000 });
      expect(slow.past).toEqual([0]);
    });

    it('does not join typing after an undo to the step that was undone', () => {
      let h = typed(startHistory(''), 'ab', 'f', 0, 10);
      h = undo(h);
      h = commit(h, 'x', { group: 'f', at: 30 });
      expect([h.past, h.present, h.future]).toEqual([[''], 'x', []]);
      h = commit(h, 'xy', { group: 'f', at: 40 });
      expect(h.past).toEqual(['']);
    });

    it('property: with one field typed letter by letter, every pause splits a step and undo walks back exactly the steps', () => {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: 2500 }), { minLength: 1, maxLength: 40 }), (gaps) => {
          let h: History<number> = startHistory(0);
          let at = 0;
          const stepEnds: number[] = [];
          gaps.forEach((gap, i) => {
            at += gap;
            if (i > 0 && gap > DEFAULT_PAUSE_MS) stepEnds.push(i);
            h = commit(h, i + 1, { group: 'field', at });
          });
          // The values before each step: 0, then the value left where each pause fell.
          expect(h.past).toEqual([0, ...stepEnds]);
          for (let n = stepEnds.length; n >= 0; n--) {
            h = undo(h);
            expect(h.present).toBe(n === 0 ? 0 : stepEnds[n - 1]);
          }
          expect(canUndo(h)).toBe(false);
        }),
      );
    });
  });
});
