import { isQuiet, quietHoursEnd } from './quiet-hours';

const window = { fromMinute: 22 * 60, toMinute: 8 * 60, text: '22:00-08:00' };
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('quiet hours', () => {
  it('wrap past midnight', () => {
    expect(isQuiet(window, 23 * 3600)).toBe(true);
    expect(isQuiet(window, 7 * 3600 + 59 * 60)).toBe(true);
    expect(isQuiet(window, 8 * 3600)).toBe(false);
    expect(isQuiet({ fromMinute: 12 * 60, toMinute: 14 * 60, text: '' }, 13 * 3600)).toBe(true);
  });

  it('end at the next local `to`, across a daylight-saving change', () => {
    expect(iso(quietHoursEnd(at('2026-11-21T12:00:00Z'), window, 'UTC'))).toBeNull();
    expect(iso(quietHoursEnd(at('2026-11-21T23:00:00Z'), window, 'UTC'))).toBe('2026-11-22T08:00:00.000Z');
    // Paris leaves summer time on 2026-10-25 at 03:00: 08:00 local is then 07:00Z.
    expect(iso(quietHoursEnd(at('2026-10-24T21:00:00Z'), window, 'Europe/Paris'))).toBe('2026-10-25T07:00:00.000Z');
  });
});
