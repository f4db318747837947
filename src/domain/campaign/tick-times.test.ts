import { lateness, lateTickLimitMs, LATE_TICK_CAP_MS, tickLateLimitMs, ticksBetween } from './tick-times';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('lateTickLimitMs: how late a tick may start, and the Schedule catchupWindow', () => {
  it('is a day for a cron whose ticks are a day or more apart, and the shortest gap for one that ticks more often', () => {
    const from = new Date('2027-01-04T00:00:00Z');
    expect(lateTickLimitMs('0 9 * * 1', 'Europe/Paris', from)).toBe(LATE_TICK_CAP_MS);
    expect(LATE_TICK_CAP_MS).toBe(DAY);
    expect(lateTickLimitMs('0 9 * * *', 'UTC', from)).toBe(DAY);
    expect(lateTickLimitMs('0 * * * *', 'UTC', from)).toBe(HOUR);
    expect(lateTickLimitMs('*/5 * * * *', 'UTC', from)).toBe(5 * MINUTE);
    // Two ticks five minutes apart once a day: the catchupWindow is the shorter gap (Temporal starts only the
    // earliest tick it missed, so a wider window could start one too late for its slot and skip one in time).
    expect(lateTickLimitMs('0,5 9 * * *', 'UTC', from)).toBe(5 * MINUTE);
    expect(lateTickLimitMs('0 9,10 * * *', 'UTC', from)).toBe(HOUR);
  });

  it('is the cap for a cron croner cannot read (none is admitted)', () => {
    expect(lateTickLimitMs('not a cron', 'UTC', new Date())).toBe(LATE_TICK_CAP_MS);
  });
});

describe("tickLateLimitMs: a tick's own bound, the gap to its next tick (review 56, finding 1)", () => {
  it('is the gap from the tick to the one after it, up to a day', () => {
    expect(tickLateLimitMs('0 9,10 * * *', 'UTC', Date.parse('2026-03-10T09:00:00Z'))).toBe(HOUR);
    expect(tickLateLimitMs('0 9,10 * * *', 'UTC', Date.parse('2026-03-10T10:00:00Z'))).toBe(23 * HOUR);
    expect(tickLateLimitMs('0 9 * * 1', 'UTC', Date.parse('2027-01-04T09:00:00Z'))).toBe(LATE_TICK_CAP_MS);
    // The night the clocks go forward in Paris (2027-03-28): 09:00 to 09:00 local is 23 hours.
    expect(tickLateLimitMs('0 9 * * *', 'Europe/Paris', Date.parse('2027-03-27T08:00:00Z'))).toBe(23 * HOUR);
  });
});

describe('ticksBetween', () => {
  it('counts the ticks in a range, both ends included, up to a cap', () => {
    const at = Date.parse('2027-01-04T09:00:00Z');
    const around = (cron: string, cap = 1000) => ticksBetween(cron, 'UTC', new Date(at - 3 * HOUR), new Date(at + 3 * HOUR), cap);
    expect(around('0 9 * * *')).toBe(1);
    expect(around('0 * * * *')).toBe(7);
    expect(around('* * * * *')).toBe(361);
    expect(around('* * * * *', 50)).toBe(50);
    expect(around('0 9 * * 2')).toBe(0);
  });
});

describe('lateness: a tick that starts far past its due time enters nobody (review-50-batch, finding 5)', () => {
  const due = Date.parse('2027-01-08T08:00:00Z');

  it('says when it was due, when it started, and the bound it passed', () => {
    expect(lateness('0 9 * * *', 'Europe/Paris', due, due + 3 * 24 * HOUR)).toBe(
      'due at 2027-01-08T08:00:00.000Z, started 2027-01-11T08:00:00.000Z: too late (more than 24 hours after it was due); the next tick runs as scheduled',
    );
    expect(lateness('*/5 * * * *', 'UTC', due, due + 6 * MINUTE)).toContain('too late (more than 5 minutes after it was due)');
    expect(lateness('0 * * * *', 'UTC', due, due + 2 * HOUR)).toContain('too late (more than 1 hour after it was due)');
    // A worker down for a few hours: a daily tick still enters, late.
    expect(lateness('0 9 * * *', 'Europe/Paris', due, due + 5 * HOUR)).toBeNull();
  });

  it("holds a tick of a cron with uneven gaps to its own gap, not the cron's shortest (review 56, finding 1)", () => {
    const ten = Date.parse('2026-03-10T10:00:00Z');
    const nine = Date.parse('2026-03-10T09:00:00Z');
    // Workers down 09:55 to 11:05: the 10:00 tick's next is tomorrow at 09:00, so it still enters.
    expect(lateness('0 9,10 * * *', 'UTC', ten, ten + 65 * MINUTE)).toBeNull();
    expect(lateness('0 9,10 * * *', 'UTC', ten, ten + 23 * HOUR)).toBeNull();
    expect(lateness('0 9,10 * * *', 'UTC', ten, ten + 23 * HOUR + MINUTE)).toContain('too late (more than 23 hours after it was due)');
    // The 09:00 tick that late would overlap the 10:00 one.
    expect(lateness('0 9,10 * * *', 'UTC', nine, nine + 65 * MINUTE)).toContain('too late (more than 1 hour after it was due)');
  });

  it('holds a tick started by hand between two slots to the shortest gap, not to the moment left before the next slot', () => {
    const triggered = Date.parse('2026-01-01T10:04:59Z');
    expect(lateness('*/5 * * * *', 'UTC', triggered, Date.parse('2026-01-01T10:05:01Z'))).toBeNull();
    expect(lateness('*/5 * * * *', 'UTC', triggered, triggered + 6 * MINUTE)).toContain('too late (more than 5 minutes after it was due)');
  });

  it('lets a tick in time run, up to the bound itself', () => {
    expect(lateness('0 9 * * *', 'Europe/Paris', due, due + 30_000)).toBeNull();
    expect(lateness('0 9 * * *', 'Europe/Paris', due, due + HOUR)).toBeNull();
    expect(lateness('*/5 * * * *', 'UTC', due, due + 5 * MINUTE)).toBeNull();
  });
});
