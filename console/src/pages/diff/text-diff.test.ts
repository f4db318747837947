import { diffRows, textDiff } from './text-diff';

describe('textDiff: the definitions line by line, in hunks', () => {
  const before = ['a: 1', 'b: 2', 'c: 3', 'd: 4', 'e: 5', 'f: 6', 'g: 7', 'h: 8', 'i: 9', ''].join('\n');
  const after = ['a: 1', 'b: 2', 'c: 3', 'd: 4', 'e: 50', 'f: 6', 'g: 7', 'h: 8', 'i: 9', 'j: 10', ''].join('\n');

  it('numbers every line on its side', () => {
    const rows = diffRows(before, after);
    expect(rows.filter((r) => r.kind !== 'same')).toEqual([
      { kind: 'del', text: 'e: 5', oldLine: 5, newLine: null },
      { kind: 'add', text: 'e: 50', oldLine: null, newLine: 5 },
      { kind: 'add', text: 'j: 10', oldLine: null, newLine: 10 },
    ]);
    expect(rows.find((r) => r.text === 'i: 9')).toEqual({ kind: 'same', text: 'i: 9', oldLine: 9, newLine: 9 });
  });

  it('keeps context around changes and folds long unchanged runs', () => {
    const rows = textDiff(before, after, 1);
    expect(rows.map((r) => (r.kind === 'skip' ? `… ${r.count}` : `${r.kind} ${r.text}`))).toEqual(['… 3', 'same d: 4', 'del e: 5', 'add e: 50', 'same f: 6', '… 2', 'same i: 9', 'add j: 10']);
  });

  it('is empty of changes for equal texts', () => {
    expect(textDiff(before, before)).toEqual([{ kind: 'skip', count: 9 }]);
  });
});
