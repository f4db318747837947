import { compileCampaign, compileStoredCampaign } from '../compiler';
import { cronProblem, cronScheduleProblem, firstRunInWindow, nextCronRuns } from './cron';

const batch = (cron: string) => ({
  key: 'weekly',
  name: 'Weekly',
  entry: { cron, timezone: 'Europe/Paris' },
  audience: 'user.plan == "gold"',
  initial: 'done',
  states: { done: { end: true } },
});

describe('entry.cron', () => {
  it('is parsed, not pattern-matched: an out-of-range field is refused at entry.cron', () => {
    expect(cronProblem('0 9 * * 1')).toBeUndefined();
    expect(cronProblem('61 9 * * *')).toMatch(/minute/);
    const compiled = compileCampaign(batch('61 9 * * *'));
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.issues).toEqual([expect.objectContaining({ path: 'entry.cron', message: expect.stringMatching(/not a valid cron expression.*minute/) })]);
    expect(compileCampaign(batch('0 9 31 2 *')).ok).toBe(true);
    expect(compileCampaign(batch('0 25 * * *')).ok).toBe(false);
  });

  it('names an out-of-range day-of-month or month as written, not by the parser\'s zero-based count', () => {
    expect(cronProblem('0 0 0 * *')).toBe('the day-of-month field "0" holds a value outside 1-31');
    expect(cronProblem('0 0 1-40 * *')).toBe('the day-of-month field "1-40" holds a value outside 1-31');
    expect(cronProblem('0 0 * 13 *')).toBe('the month field "13" holds a value outside 1-12');
    expect(cronProblem(' 0 0 * 0 * ')).toBe('the month field "0" holds a value outside 1-12');
    // The other fields count as written already.
    expect(cronProblem('0 24 * * *')).toBe('Invalid value for hour: 24');
    const compiled = compileCampaign(batch('0 0 * 13 *'));
    expect(compiled.ok ? [] : compiled.issues).toEqual([{ path: 'entry.cron', message: 'not a valid cron expression: the month field "13" holds a value outside 1-12' }]);
  });

  it("lists the next runs in the campaign's zone, with its offset across a DST change", () => {
    expect(nextCronRuns('0 9 * * 1', 'Europe/Paris', new Date('2026-10-19T12:00:00Z'))).toEqual([
      '2026-10-26T09:00:00+01:00',
      '2026-11-02T09:00:00+01:00',
      '2026-11-09T09:00:00+01:00',
    ]);
    expect(nextCronRuns('30 8 * * *', 'Europe/Paris', new Date('2026-10-23T12:00:00Z'))).toEqual([
      '2026-10-24T08:30:00+02:00',
      '2026-10-25T08:30:00+01:00',
      '2026-10-26T08:30:00+01:00',
    ]);
    expect(nextCronRuns('0 0 * * *', 'UTC', new Date('2026-11-30T12:00:00Z'))).toEqual(['2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z', '2026-12-03T00:00:00Z']);
  });

  it('lists only runs within the schedule window: from startsAt (inclusive), to endsAt (inclusive), none once it closed (review 58, finding 2)', () => {
    const from = new Date('2026-12-07T00:00:00Z');
    expect(nextCronRuns('0 9 * * *', 'UTC', from, 3, { startsAt: Date.parse('2027-03-01T00:00:00Z') })).toEqual(['2027-03-01T09:00:00Z', '2027-03-02T09:00:00Z', '2027-03-03T09:00:00Z']);
    expect(nextCronRuns('0 9 * * *', 'UTC', from, 3, { startsAt: Date.parse('2027-03-01T09:00:00Z') })[0]).toBe('2027-03-01T09:00:00Z');
    expect(nextCronRuns('0 9 * * *', 'UTC', from, 3, { startsAt: Date.parse('2027-03-01T09:00:00.500Z') })[0]).toBe('2027-03-02T09:00:00Z');
    expect(nextCronRuns('0 9 * * *', 'UTC', from, 3, { startsAt: Date.parse('2026-12-01T00:00:00Z'), endsAt: Date.parse('2026-12-08T09:00:00Z') })).toEqual([
      '2026-12-07T09:00:00Z',
      '2026-12-08T09:00:00Z',
    ]);
    expect(nextCronRuns('0 9 * * *', 'UTC', from, 3, { endsAt: Date.parse('2026-12-07T08:00:00Z') })).toEqual([]);
    expect(nextCronRuns('0 9 * * *', 'UTC', from, 3, { startsAt: null, endsAt: null })).toHaveLength(3);
  });

  it('refuses a U+FEFF between fields, which the schedule does not read as a space, at entry.cron when saving (review 58, finding 4)', () => {
    expect(cronScheduleProblem('0\uFEFF9 * * *')).toBe('fields must be separated by spaces or tabs: it holds a U+FEFF (zero width no-break space), which the schedule does not read as one');
    const compiled = compileCampaign(batch('0\uFEFF9 * * *'), { admitting: true });
    expect(compiled.ok ? [] : compiled.issues).toEqual([{ path: 'entry.cron', message: expect.stringMatching(/^fields must be separated by spaces or tabs/) }]);
    // Trimmed at the ends before it is stored, as the other spaces are; tabs and runs of spaces are spaces to both.
    expect(compileCampaign(batch('\uFEFF0 9 * * *\uFEFF'), { admitting: true }).ok).toBe(true);
    expect(compileCampaign(batch('0\t9  * * *'), { admitting: true }).ok).toBe(true);
  });

  it("refuses, when saving or activating, what Temporal's schedule would run otherwise than checked: #, L, W, ?, day-of-month with day-of-week", () => {
    for (const ok of ['0 9 * * 1', '*/15 8-18 * * MON-FRI', '0 9 1,15 JUL *', '0 9 * * WED', '0 0 1 * *']) expect(cronScheduleProblem(ok)).toBeUndefined();
    expect(cronScheduleProblem('0 9 * * 1#2')).toMatch(/`#`.*comment/);
    // croner takes "+MON" (its own AND modifier); the schedule refuses it, so activation would answer 503 for ever.
    expect(cronProblem('0 9 * * +MON')).toBeUndefined();
    expect(cronScheduleProblem('0 9 * * +MON')).toMatch(/`\+` is not supported/);
    for (const special of ['0 9 L * *', '0 9 15W * *', '0 9 ? * *', '0 9 * * 5L']) expect(cronScheduleProblem(special)).toMatch(/`L`, `W` and `\?`/);
    expect(cronScheduleProblem('0 9 13 * 5')).toMatch(/both day-of-month \(13\) and day-of-week \(5\).*set one of them to \*/);
    // croner parses a date no calendar has; the schedule would take it and never run.
    expect(cronProblem('0 9 31 2 *')).toBeUndefined();
    expect(cronScheduleProblem('0 9 31 2 *')).toBe('no date has day-of-month 31 in month 2: the schedule would never run');
    expect(cronScheduleProblem('0 9 30,31 FEB *')).toMatch(/never run/);
    for (const rare of ['0 9 29 2 *', '0 9 31 1-3 *', '0 9 31 */2 *']) expect(cronScheduleProblem(rare)).toBeUndefined();
    // croner takes each of these: the refusal is the compiler's, at entry.cron, and only when admitting.
    for (const cron of ['0 9 * * 1#2', '0 9 L * *', '0 9 1-7 * 1', '0 9 31 2 *']) {
      expect(cronProblem(cron)).toBeUndefined();
      const admitted = compileCampaign(batch(cron), { admitting: true });
      expect(admitted.ok ? [] : admitted.issues.map((i) => i.path)).toEqual(['entry.cron']);
      expect(compileCampaign(batch(cron)).ok).toBe(true);
    }
  });

  it('refuses a zone spelled in another case (Temporal reads names case-sensitively) and entry.if, which a batch entry never checks', () => {
    const lower = { ...batch('0 9 * * *'), entry: { cron: '0 9 * * *', timezone: 'europe/paris' } };
    const issues = (c: unknown) => {
      const r = compileCampaign(c, { admitting: true });
      return r.ok ? [] : r.issues.map(({ path, message }) => ({ path, message }));
    };
    expect(issues(lower)).toEqual([{ path: 'entry.timezone', message: 'write Europe/Paris: time zone names are case-sensitive where the schedule runs' }]);
    // Without entry.timezone the schedule runs in the campaign's zone.
    expect(issues({ ...batch('0 9 * * *'), entry: { cron: '0 9 * * *' }, schedule: { timezone: 'asia/shanghai' } })).toEqual([
      { path: 'schedule.timezone', message: 'write Asia/Shanghai: time zone names are case-sensitive where the schedule runs' },
    ]);
    expect(issues({ ...batch('0 9 * * *'), entry: { cron: '0 9 * * *', timezone: 'US/Eastern' } })).toEqual([]);
    expect(issues({ ...batch('0 9 * * *'), entry: { cron: '0 9 * * *', if: 'event.a > 1' } })).toEqual([{ path: 'entry.if', message: expect.stringMatching(/never be checked.*audience/) }]);
    expect(compileCampaign(lower).ok).toBe(true);
  });
});

// Review 63 (batch), finding 1: croner reads SUN ending a range as 7, Temporal's schedule as 0.
describe('entry.cron: a day-of-week range ending in SUN', () => {
  it('is refused, with the form that works', () => {
    expect(cronScheduleProblem('0 10 * * sat-sun')).toBe('day-of-week `sat-sun`: where the schedule runs, SUN ending a range is 0, not 7, before sat, and it refuses the range; write sat-7 (7 is Sunday too)');
    expect(cronScheduleProblem('0 10 * * mon-sun')).toMatch(/`mon-sun`.*write mon-7/);
    expect(cronScheduleProblem('0 10 * * 5-sun')).toMatch(/`5-sun`.*write 5-7/);
    expect(cronScheduleProblem('0 10 * * MON,FRI-SUN/2')).toMatch(/`FRI-SUN\/2`.*write FRI-7\/2/);
    // Both take these, and the schedule reads Sunday alone where croner reads every day.
    expect(cronScheduleProblem('0 10 * * sun-sun')).toMatch(/`sun-sun`.*Sunday alone; write sun-7/);
    expect(cronScheduleProblem('0 10 * * 0-SUN')).toMatch(/`0-SUN`.*Sunday alone; write 0-7/);
  });

  it('is refused at entry.cron when saving or activating, not in a stored version', () => {
    for (const cron of ['0 10 * * sat-sun', '0 10 * * mon-sun', '0 10 * * 5-sun']) {
      expect(cronProblem(cron)).toBeUndefined();
      const admitted = compileCampaign(batch(cron), { admitting: true });
      expect(admitted.ok ? [] : admitted.issues.map((i) => i.path)).toEqual(['entry.cron']);
      expect(compileStoredCampaign(batch(cron)).ok).toBe(true);
    }
  });

  it('leaves what the schedule reads as croner does', () => {
    for (const ok of ['0 10 * * 6-7', '0 10 * * sat-7', '0 10 * * SUN', '0 10 * * sun-sat', '0 10 * * 0,6', '0 10 * * SUN,MON', '0 10 * * 1-7/2', '0 10 * jan-dec *']) {
      expect(cronScheduleProblem(ok)).toBeUndefined();
    }
  });
});

// Review 63 (batch), finding 2: a window holding no tick was saved and activated, and entered nobody.
describe('entry.cron: a schedule window with no tick in it', () => {
  const windowed = (cron: string, schedule: { startsAt?: string; endsAt?: string }) => ({ ...batch(cron), schedule });
  const blackFriday = { startsAt: '2026-11-27T00:00:00+01:00', endsAt: '2026-11-30T23:59:59+01:00' };

  it('is refused at entry.cron when saving or activating, with the first tick there is', () => {
    const admitted = compileCampaign(windowed('0 9 1 * *', blackFriday), { version: 1, admitting: true });
    expect(admitted.ok ? [] : admitted.issues).toEqual([
      {
        path: 'entry.cron',
        message:
          'no tick of `0 9 1 * *` in Europe/Paris falls between schedule.startsAt (2026-11-27T00:00:00+01:00) and schedule.endsAt (2026-11-30T23:59:59+01:00), so the campaign would enter nobody (its first tick from startsAt is 2026-12-01T09:00:00+01:00): widen the window or change the cron',
      },
    ]);
    // 29 February: none before the next leap year.
    const leap = compileCampaign(windowed('0 9 29 2 *', { startsAt: '2026-03-01T00:00:00Z', endsAt: '2027-12-31T00:00:00Z' }), { admitting: true });
    expect(leap.ok ? [] : leap.issues).toEqual([{ path: 'entry.cron', message: expect.stringMatching(/no tick .* \(its first tick from startsAt is 2028-02-29T09:00:00\+01:00\)/) }]);
  });

  it('compiles as accepted when stored', () => {
    expect(compileStoredCampaign(windowed('0 9 1 * *', blackFriday), { version: 1 }).ok).toBe(true);
    expect(compileCampaign(windowed('0 9 1 * *', blackFriday), { version: 1 }).ok).toBe(true);
  });

  it('is judged over the whole window, not from now: a window whose ticks are over is admitted', () => {
    expect(compileCampaign(windowed('0 9 * * *', blackFriday), { admitting: true }).ok).toBe(true);
    expect(compileCampaign(windowed('0 9 1 * *', { startsAt: '2020-01-01T00:00:00Z', endsAt: '2020-03-01T00:00:00Z' }), { admitting: true }).ok).toBe(true);
    expect(compileCampaign(windowed('0 9 1 * *', { endsAt: '2026-11-30T23:59:59+01:00' }), { admitting: true }).ok).toBe(true);
    expect(compileCampaign(windowed('0 9 1 * *', { startsAt: '2026-11-27T00:00:00+01:00' }), { admitting: true }).ok).toBe(true);
  });

  it('counts a tick at startsAt or at endsAt, both inclusive as the Schedule reads them', () => {
    const at = (startsAt: number, endsAt: number) => firstRunInWindow('0 9 1 12 *', 'UTC', { startsAt, endsAt });
    const tick = Date.parse('2026-12-01T09:00:00Z');
    expect(at(tick, tick)).toEqual({ at: '2026-12-01T09:00:00Z', inWindow: true });
    expect(at(tick + 500, tick + 60_000)).toEqual({ at: '2027-12-01T09:00:00Z', inWindow: false });
    expect(at(tick - 60_000, tick - 1)).toEqual({ at: '2026-12-01T09:00:00Z', inWindow: false });
    expect(firstRunInWindow('0 9 31 2 *', 'UTC', {})).toBeNull();
  });
});
