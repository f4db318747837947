import type { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import type { JourneyGateway, JourneyRunInfo } from '../../temporal/journey-gateway';
import type { JourneyView } from '../../workflows/journey/contract';
import type { TemporalLinks } from './temporal-links';
import { UserJourneysService } from './user-journeys.service';
import { boundedLikeTheGateway } from './deadline-gateway.test-support';

const started = new Date('2025-03-01T10:00:00.000Z');

const runOf = (i: number): JourneyRunInfo =>
  ({
    workflowId: `journey:c${i}:ann`,
    runId: `run-${i}`,
    status: { name: 'RUNNING' },
    startTime: new Date(started.getTime() + i),
    closeTime: undefined,
    memo: { campaignVersion: 2 },
    typedSearchAttributes: { get: () => undefined },
  }) as unknown as JourneyRunInfo;

const viewOf = (wf: JourneyRunInfo): JourneyView =>
  ({ campaignKey: wf.workflowId.split(':')[1], campaignVersion: 2, states: ['waiting'], status: 'active', held: [], entries: 1, paths: [] }) as unknown as JourneyView;

/** `bounded` as the real one behaves (the call fails when its time is up); journeys in `answering` answer at once, the others never (no worker). */
function world(runs: JourneyRunInfo[], answering: Set<string>) {
  const journeys = {
    bounded: boundedLikeTheGateway,
    runsOf: async function* () {
      yield* runs;
    },
    state: (workflowId: string) => {
      const wf = runs.find((r) => r.workflowId === workflowId)!;
      return answering.has(workflowId) ? Promise.resolve(viewOf(wf)) : new Promise<JourneyView>(() => undefined);
    },
  } as unknown as JourneyGateway;
  const links = { workflow: () => null } as unknown as TemporalLinks;
  return new UserJourneysService(journeys, links, {} as CampaignsRepository);
}

describe('UserJourneysService.list', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('answers within one 10 s deadline for all the state queries: a journey not answered by then gets the null view', async () => {
    const runs = Array.from({ length: 200 }, (_, i) => runOf(i));
    const sut = world(runs, new Set([runs[0].workflowId]));
    let listed: Awaited<ReturnType<UserJourneysService['list']>> | undefined;
    void sut.list('ann').then((l) => (listed = l));
    await jest.advanceTimersByTimeAsync(10_000);
    expect(listed).toBeDefined();
    expect(listed!.journeys).toHaveLength(200);
    expect(listed!.journeys[0]).toMatchObject({ campaign: 'c0', journeyStatus: 'active', state: 'waiting', entries: 1 });
    // What visibility knows, as for a journey that cannot answer.
    expect(listed!.journeys[199]).toEqual({
      campaign: '',
      version: 2,
      state: null,
      status: 'running',
      journeyStatus: null,
      held: 0,
      entries: null,
      enteredAt: new Date(started.getTime() + 199).toISOString(),
      closedAt: null,
      workflowId: 'journey:c199:ann',
      temporalUrl: null,
    });
    expect(listed!.journeys.filter((j) => j.journeyStatus === null)).toHaveLength(199);
  });
});
