import { Context } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import { compileCampaign } from '../../domain/compiler';
import type { PlanStore } from '../../store/plan-store';
import { AudienceRepository } from '../../store/repositories/audience.repository';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import { createBatchActivities } from './batch-activities';

/**
 * A daily 01:30 tick in Europe/London on 2026-10-25, when the clock goes
 * back: Temporal runs 01:30 twice, at 00:30Z (BST) and at 01:30Z (GMT),
 * as two ticks of the same local time.
 */
const nightly = { key: 'nightly', name: 'Nightly', entry: { cron: '30 1 * * *', timezone: 'Europe/London' }, initial: 'done', states: { done: { end: true } } };
const firstRun = Date.parse('2026-10-25T00:30:00Z');
const secondRun = Date.parse('2026-10-25T01:30:00Z');

/** The page activity over one stored profile (`u1`) whose stored entries near the tick are `nearTick`; `signalled` collects whom it signals. */
function pageOver(nearTick: Date[], retry?: { attempt: number; nearTickAfter: Date[]; failFirstCall: boolean }) {
  const compiled = compileCampaign(nightly, { version: 1 });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  jest.spyOn(AudienceRepository.prototype, 'entryVersion').mockResolvedValue({ version: 1 });
  jest.spyOn(AudienceRepository.prototype, 'page').mockResolvedValue([{ userId: 'u1', attributes: {} }]);
  const entries = (near: Date[]) => ({ spent: new Set(near.length > 0 ? ['u1'] : []), nearTick: new Map(near.length > 0 ? [['u1', near]] : []) });
  const prior = jest.spyOn(AudienceRepository.prototype, 'priorEntries').mockResolvedValue(entries(nearTick));
  // Read again when the user is sent alone: what the store holds by then.
  if (retry) prior.mockResolvedValueOnce(entries(nearTick)).mockResolvedValue(entries(retry.nearTickAfter));
  let calls = 0;
  jest.spyOn(Context, 'current').mockReturnValue({
    info: { attempt: retry?.attempt ?? 1, heartbeatDetails: undefined },
    heartbeat: () => {},
    cancellationSignal: new AbortController().signal,
    log: { warn: () => {} },
  } as unknown as Context);
  const signalled: string[] = [];
  const activities = createBatchActivities({
    dataSource: {} as DataSource,
    plans: { plan: async () => compiled } as unknown as PlanStore,
    journeys: {
      enterScheduled: async (d: { userId: string }) => {
        signalled.push(d.userId);
        if (retry?.failFirstCall && ++calls === 1) throw new Error('the call timed out on the client');
      },
      answers: async () => true,
    } as unknown as JourneyGateway,
  });
  return { activities, signalled };
}

const page = (at: number) => ({ campaignKey: 'nightly', version: 1, tickId: `batch-entry:nightly-${new Date(at).toISOString().replace('.000', '')}`, afterUserId: null, limit: 200, now: at + 5_000 });

describe('enterAudiencePage: the users another run of the same local time entered (review 58, finding 3)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('neither signals nor counts as entered a user the first run of a repeated 01:30 entered', async () => {
    const { activities, signalled } = pageOver([new Date(firstRun)]);
    const result = await activities.enterAudiencePage(page(secondRun));
    expect(result).toMatchObject({ scanned: 1, entered: 0 });
    expect(signalled).toEqual([]);
  });

  it('still counts, without signalling again, a user an earlier attempt of this tick entered', async () => {
    const { activities, signalled } = pageOver([new Date(secondRun)]);
    expect(await activities.enterAudiencePage(page(secondRun))).toMatchObject({ scanned: 1, entered: 1 });
    expect(signalled).toEqual([]);
  });

  it('neither signals again nor counts a user sent alone whom the other run entered meanwhile (review-58-diff-journeys 6)', async () => {
    // A retried page: u1 had no entry at this local time when the page was read; its call fails, and by the time it
    // is sent alone the first run of the repeated 01:30 (an hour earlier, the same tick key) has entered u1.
    const { activities, signalled } = pageOver([], { attempt: 2, nearTickAfter: [new Date(firstRun)], failFirstCall: true });
    expect(await activities.enterAudiencePage(page(secondRun))).toMatchObject({ scanned: 1, entered: 0 });
    expect(signalled).toEqual(['u1']);
  });

  it('counts a user sent alone who entered at this tick meanwhile, without signalling again', async () => {
    const { activities, signalled } = pageOver([], { attempt: 2, nearTickAfter: [new Date(secondRun)], failFirstCall: true });
    expect(await activities.enterAudiencePage(page(secondRun))).toMatchObject({ scanned: 1, entered: 1 });
    expect(signalled).toEqual(['u1']);
  });

  it('signals and counts a user with no entry at this local time', async () => {
    const { activities, signalled } = pageOver([]);
    expect(await activities.enterAudiencePage(page(secondRun))).toMatchObject({ scanned: 1, entered: 1 });
    expect(signalled).toEqual(['u1']);
  });
});
