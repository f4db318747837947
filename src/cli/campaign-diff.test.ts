import { diffValues, renderChanges } from './campaign-diff';

describe('diffValues', () => {
  it('finds nothing when only the key order differs', () => {
    expect(diffValues({ a: 1, b: { c: [1, { d: 'x' }] } }, { b: { c: [1, { d: 'x' }] }, a: 1 })).toEqual([]);
  });

  it('names each added, removed and changed field by its API path', () => {
    const before = { name: 'A', states: { s: { actions: { steps: [{ type: 'points', amount: 10 }] } } }, audience: 'user.level >= 2' };
    const after = { name: 'B', states: { s: { actions: { steps: [{ type: 'points', amount: 20 }, { type: 'coupon', pool: 'p' }] } } } };
    expect(diffValues(before, after)).toEqual([
      { kind: 'changed', path: 'name', before: 'A', after: 'B' },
      { kind: 'changed', path: 'states.s.actions.steps[0].amount', before: 10, after: 20 },
      { kind: 'added', path: 'states.s.actions.steps[1]', after: { type: 'coupon', pool: 'p' } },
      { kind: 'removed', path: 'audience', before: 'user.level >= 2' },
    ]);
  });

  it('treats a type change as one change, and a shorter array as removals', () => {
    expect(diffValues({ when: 'x' }, { when: [['x']] })).toEqual([{ kind: 'changed', path: 'when', before: 'x', after: [['x']] }]);
    expect(diffValues([1, 2, 3], [1])).toEqual([
      { kind: 'removed', path: '[1]', before: 2 },
      { kind: 'removed', path: '[2]', before: 3 },
    ]);
  });
});

describe('renderChanges', () => {
  it('prints one line per change', () => {
    expect(
      renderChanges([
        { kind: 'added', path: 'a', after: { x: 1 } },
        { kind: 'removed', path: 'b', before: 'old' },
        { kind: 'changed', path: 'c[0]', before: 1, after: 2 },
      ]),
    ).toEqual(['+ a: {"x":1}', '- b: "old"', '~ c[0]: 1 -> 2']);
  });
});
