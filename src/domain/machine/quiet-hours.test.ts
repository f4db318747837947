import { isQuiet, localSecondOfDay as localSecond, quietHoursEnd } from './quiet-hours';

const window = { fromMinute: 22 * 60, toMinute: 8 * 60, text: '22:00-08:00' };
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('quiet hours', () => {
  it('wrap past midnight', () => {
    expect(isQuiet(window, 23 * 3600)).toBe(true);
    expect(isQuiet(window, 7 * 3600 + 59 * 60)).toBe(true);
    expect(isQuiet(window, 8 * 3600)).toBe(false);
    expect(isQuiet({ fromMinute: 12 * 60, toMinute: 14 * 60 }, 13 * 3600)).toBe(true);
  });

  it('end at the next local `to`, across a daylight-saving change', () => {
    expect(iso(quietHoursEnd(at('2026-11-21T12:00:00Z'), window, 'UTC'))).toBeNull();
    expect(iso(quietHoursEnd(at('2026-11-21T23:00:00Z'), window, 'UTC'))).toBe('2026-11-22T08:00:00.000Z');
    // Paris leaves summer time on 2026-10-25 at 03:00: 08:00 local is then 07:00Z.
    expect(iso(quietHoursEnd(at('2026-10-24T21:00:00Z'), window, 'Europe/Paris'))).toBe('2026-10-25T07:00:00.000Z');
  });

  it('ends after a spring-forward gap that swallows its local end, never inside quiet hours (New York 2026-03-08, Lord Howe 2026-10-04)', () => {
    const nyc = { fromMinute: 22 * 60, toMinute: 2 * 60 + 30, text: '22:00-02:30' };
    // 02:00 EST jumps to 03:00 EDT (07:00Z): 02:30 does not exist that night.
    for (const now of ['2026-03-08T03:30:00Z', '2026-03-08T06:00:00Z', '2026-03-08T06:59:00Z']) {
      expect(iso(quietHoursEnd(at(now), nyc, 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
    }
    // Before the patch: 06:30Z (01:30 EST, still quiet), or an end already past.
    expect(iso(quietHoursEnd(at('2026-03-08T06:00:00Z'), nyc, 'America/New_York', false))).toBe('2026-03-08T06:30:00.000Z');
    // Lord Howe moves from 02:00 to 02:30 (15:30Z the day before): a window ending at 02:15 ends with the jump.
    const howe = { fromMinute: 60, toMinute: 2 * 60 + 15, text: '01:00-02:15' };
    expect(iso(quietHoursEnd(at('2026-10-03T14:45:00Z'), howe, 'Australia/Lord_Howe'))).toBe('2026-10-03T15:30:00.000Z');
    // The end found is outside quiet hours and after now, on ordinary days too.
    for (const [now, zone] of [['2026-03-07T06:00:00Z', 'America/New_York'], ['2026-11-01T05:30:00Z', 'America/New_York']] as const) {
      const end = quietHoursEnd(at(now), nyc, zone)!;
      expect(end).toBeGreaterThan(at(now));
      expect(isQuiet(nyc, localSecond(end, zone))).toBe(false);
    }
  });
});
