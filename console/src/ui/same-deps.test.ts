import { sameDeps } from './same-deps';

describe('sameDeps: whether a useApi load asks for something else', () => {
  it('compares item by item as React does; the first load has nothing to compare with', () => {
    const key = { id: 1 };
    expect(sameDeps(['u-1', key], ['u-1', key])).toBe(true);
    expect(sameDeps(['u-1', key], ['u-1', { id: 1 }])).toBe(false);
    expect(sameDeps(['u-1'], ['u-2'])).toBe(false);
    expect(sameDeps(['u-1'], ['u-1', 2])).toBe(false);
    expect(sameDeps([Number.NaN], [Number.NaN])).toBe(true);
    expect(sameDeps(null, [])).toBe(false);
  });
});
