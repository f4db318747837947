import { fakeCampaigns } from './fake-campaigns.test-support';

/** A daily 09:00 UTC batch entry within `schedule`. */
const daily = (schedule: Record<string, string>) => ({
  key: 'daily',
  name: 'Daily',
  entry: { cron: '0 9 * * *', timezone: 'UTC' },
  schedule,
  initial: 'done',
  states: { done: { end: true } },
});

describe("validate's entryCronNextRuns and the schedule window (review 58, finding 2)", () => {
  const now = new Date('2026-12-07T00:00:00Z');

  it('starts at schedule.startsAt: Temporal starts no tick before it (a tick at startsAt itself counts)', async () => {
    const { service } = fakeCampaigns('draft');
    const { summary } = await service.validate(daily({ startsAt: '2027-03-01T00:00:00Z' }), now);
    expect(summary.entryCronNextRuns).toEqual(['2027-03-01T09:00:00Z', '2027-03-02T09:00:00Z', '2027-03-03T09:00:00Z']);
    const atStart = await service.validate(daily({ startsAt: '2027-03-01T09:00:00Z' }), now);
    expect(atStart.summary.entryCronNextRuns?.[0]).toBe('2027-03-01T09:00:00Z');
  });

  it('stops at schedule.endsAt (inclusive), and lists none once the window has closed', async () => {
    const { service } = fakeCampaigns('draft');
    expect((await service.validate(daily({ endsAt: '2026-12-08T09:00:00Z' }), now)).summary.entryCronNextRuns).toEqual(['2026-12-07T09:00:00Z', '2026-12-08T09:00:00Z']);
    expect((await service.validate(daily({ endsAt: '2026-12-01T00:00:00Z' }), now)).summary.entryCronNextRuns).toEqual([]);
    expect((await service.validate(daily({}), now)).summary.entryCronNextRuns).toEqual(['2026-12-07T09:00:00Z', '2026-12-08T09:00:00Z', '2026-12-09T09:00:00Z']);
  });
});
