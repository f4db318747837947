import { dateIn, fillDates } from './stream-file';

describe('dateIn', () => {
  it('gives the calendar date in the zone, not in UTC', () => {
    const lateUtc = new Date('2026-11-30T23:30:00Z');
    expect(dateIn('UTC', lateUtc)).toBe('2026-11-30');
    expect(dateIn('Europe/Paris', lateUtc)).toBe('2026-12-01');
    expect(dateIn('America/New_York', lateUtc)).toBe('2026-11-30');
  });
});

describe('fillDates', () => {
  it('replaces today and tomorrow in every string of the value', () => {
    const now = new Date('2026-12-31T12:00:00Z');
    expect(fillDates({ a: { birthday: '{{today}}' }, b: { birthday: '{{tomorrow}}', n: 1 } }, 'UTC', now)).toEqual({
      a: { birthday: '2026-12-31' },
      b: { birthday: '2027-01-01', n: 1 },
    });
  });
});
