import { IntervalsQuery } from './analytics.schemas';

const paths = (query: object) => {
  const r = IntervalsQuery.safeParse(query);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

describe('IntervalsQuery (review 54, finding 1)', () => {
  it.each([
    // Not an instant at all: Date.parse reads NaN, which the comparison of the bounds once threw on (a 500).
    ['yesterday', '2026-06-01T00:00:00Z', ['since']],
    ['2026-06-01T00:00:00Z', 'x', ['until']],
    ['2026-06-01T00:00:00+99:00', '2026-06-02T00:00:00Z', ['since']],
    ['yesterday', 'tomorrow', ['since', 'until']],
    // Read by Date.parse but refused by the schema: no second detail at `until` comparing it.
    ['2026-02-30T00:00:00Z', '2026-01-01T00:00:00Z', ['since']],
    ['2026-01-01', '2026-01-01T00:00:00Z', ['since']],
    ['2026-01-01T00:00:00Z', '2025-12-31', ['until']],
  ])('since=%s until=%s is refused at the bad bound only', (since, until, expected) => {
    expect(paths({ from: 'a', to: 'b', since, until })).toEqual(expected);
  });

  it('refuses a bad bound beside another bad parameter, at each one', () => {
    expect(paths({ from: '', to: 'b', since: 'yesterday', until: '2026-06-01T00:00:00Z' }).sort()).toEqual(['from', 'since']);
  });

  it('still compares two instants: until must be after since', () => {
    expect(paths({ from: 'a', to: 'b', since: '2026-06-01T00:00:00Z', until: '2026-06-01T00:00:00Z' })).toEqual(['until']);
    expect(paths({ from: 'a', to: 'b', since: '2026-06-01T00:00:00Z', until: '2026-06-01T00:00:00.000001Z' })).toEqual([]);
  });
});
