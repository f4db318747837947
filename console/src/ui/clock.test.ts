import { clock, dateTime } from './clock';

describe('clock and dateTime', () => {
  it('says the zone of the time it gives, the browser’s', () => {
    const at = new Date('2026-12-05T10:00:00Z');
    const zone = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
    expect(zone).toBeTruthy();
    expect(clock(at)).toContain(zone);
    expect(clock(at)).not.toBe(at.toLocaleTimeString());
    expect(dateTime(at)).toContain(zone);
  });
});
