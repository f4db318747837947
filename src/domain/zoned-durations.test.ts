import { addDuration, parseDuration, type Duration } from './durations';
import { addDurationInZone, subtractDurationInZone } from './zoned-durations';

const dur = (text: string): Duration => {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(text);
  return parsed.value;
};
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('durations on a zone calendar', () => {
  it('keeps the local time of day across the spring and autumn clock changes, where fixed days do not', () => {
    // Sunday 22 March 2026 09:00 in Paris (CET) to Sunday 29 March 09:00 (CEST): 167 hours.
    const before = at('2026-03-22T08:00:00Z');
    expect(iso(addDurationInZone(before, dur('P7D'), 'Europe/Paris'))).toBe('2026-03-29T07:00:00.000Z');
    expect(iso(addDuration(before, dur('P7D')))).toBe('2026-03-29T08:00:00.000Z');
    expect(iso(addDurationInZone(before, dur('P1W'), 'Europe/Paris'))).toBe('2026-03-29T07:00:00.000Z');
    // Autumn: 169 hours.
    expect(iso(addDurationInZone(at('2026-10-18T07:00:00Z'), dur('P7D'), 'Europe/Paris'))).toBe('2026-10-25T08:00:00.000Z');
    expect(iso(subtractDurationInZone(at('2026-03-29T07:00:00Z'), dur('P7D'), 'Europe/Paris'))).toBe('2026-03-22T08:00:00.000Z');
    expect(iso(addDurationInZone(at('2026-01-31T08:00:00Z'), dur('P1M'), 'Europe/Paris'))).toBe('2026-02-28T08:00:00.000Z');
  });

  it("reads a local time the autumn change repeats as its first instant, and one the spring change skips as after it, east and west of UTC", () => {
    // Paris, Sunday 25 October 2026: 02:30 comes at 00:30Z (CEST) and again at 01:30Z (CET).
    expect(iso(addDurationInZone(at('2026-10-18T00:30:00Z'), dur('P7D'), 'Europe/Paris'))).toBe('2026-10-25T00:30:00.000Z');
    // New York, Sunday 1 November 2026: 01:30 comes at 05:30Z (EDT) and again at 06:30Z (EST).
    expect(iso(addDurationInZone(at('2026-10-31T05:30:00Z'), dur('P1D'), 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    // New York, Sunday 8 March 2026 has no 02:30: 03:30 EDT (07:30Z), not 01:30 EST.
    expect(iso(addDurationInZone(at('2026-03-07T07:30:00Z'), dur('P1D'), 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(addDurationInZone(at('2026-03-07T07:30:00Z'), dur('P1D'), 'Nowhere/Unknown'))).toBe('2026-03-08T07:30:00.000Z');
  });

  it('counts hours and less exactly, after the calendar part', () => {
    expect(iso(addDurationInZone(at('2026-03-28T08:00:00Z'), dur('PT24H'), 'Europe/Paris'))).toBe('2026-03-29T08:00:00.000Z');
    expect(iso(addDurationInZone(at('2026-03-28T08:00:00Z'), dur('P1DT1H'), 'Europe/Paris'))).toBe('2026-03-29T08:00:00.000Z');
    expect(iso(subtractDurationInZone(at('2026-03-29T08:00:00Z'), dur('P1DT1H'), 'Europe/Paris'))).toBe('2026-03-28T08:00:00.000Z');
  });

  it('lands a local time the spring change skips just after the change, and is plain UTC arithmetic in UTC', () => {
    // Saturday 02:30 in Paris; Sunday has no 02:30: 03:30 CEST (01:30Z).
    expect(iso(addDurationInZone(at('2026-03-28T01:30:00Z'), dur('P1D'), 'Europe/Paris'))).toBe('2026-03-29T01:30:00.000Z');
    for (const text of ['P7D', 'P1M', 'PT90M', 'P1Y2M3DT4H']) {
      expect(addDurationInZone(at('2026-03-22T08:00:00Z'), dur(text), 'UTC')).toBe(addDuration(at('2026-03-22T08:00:00Z'), dur(text)));
    }
  });
});
