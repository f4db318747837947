import { compileCampaign } from '../compiler';
import { cronProblem, nextCronRuns } from './cron';

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
});
