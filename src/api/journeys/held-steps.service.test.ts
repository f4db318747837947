import { ServiceError } from '@temporalio/client';
import type { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import type { HeldRun, JourneyGateway } from '../../temporal/journey-gateway';
import type { JourneyView } from '../../workflows/journey/contract';
import type { ChangeListener } from '../routing/change-listener';
import { StateNamedVersionsCache } from './state-named-versions';
import { HeldStepsService } from './held-steps.service';
import type { TemporalLinks } from './temporal-links';
import { boundedLikeTheGateway } from './deadline-gateway.test-support';
import { DependencyUnavailableError } from '../common/errors';

const run = (i: number): HeldRun => ({ workflowId: `journey:spring:u${i}`, runId: `run-${i}`, startMs: 1_000_000 - i, campaignKey: 'spring', userId: `u${i}` });

const heldView = (r: HeldRun): JourneyView =>
  ({
    workflowId: r.workflowId,
    campaignKey: r.campaignKey,
    userId: r.userId,
    paths: [{ pathId: 'p1', state: 'notified' }],
    held: [{ pathId: 'p1', stepId: 'notify-crm', summary: 'notify-crm: webhook', error: '502', since: '2025-03-01T10:00:00.000Z' }],
  }) as unknown as JourneyView;

/** The gateway with `bounded` as the real one behaves: the call fails when its time is up. Journeys in `answering` answer at once; the others never do (no worker). */
function world(runs: HeldRun[], answering: Set<string>) {
  let queries = 0;
  const journeys = {
    bounded: boundedLikeTheGateway,
    heldRuns: async () => ({ runs, next: null }),
    state: (workflowId: string) => {
      queries++;
      const r = runs.find((x) => x.workflowId === workflowId)!;
      return answering.has(workflowId) ? Promise.resolve(heldView(r)) : new Promise<JourneyView>(() => undefined);
    },
  } as unknown as JourneyGateway;
  const links = { workflow: () => null } as unknown as TemporalLinks;
  const campaigns = { versionsWithState: async () => new Map() } as unknown as CampaignsRepository;
  return { sut: new HeldStepsService(journeys, links, new StateNamedVersionsCache(campaigns, { subscribe: () => undefined } as unknown as ChangeListener)), queries: () => queries };
}

describe('HeldStepsService.page', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('answers within one 10 s deadline however many journeys do not answer: the ones not answered by then are unanswered', async () => {
    const runs = Array.from({ length: 100 }, (_, i) => run(i));
    const w = world(runs, new Set([runs[0].workflowId, runs[50].workflowId]));
    let page: Awaited<ReturnType<HeldStepsService['page']>> | undefined;
    void w.sut.page({ limit: '100' }).then((p) => (page = p));
    await jest.advanceTimersByTimeAsync(10_000);
    // Asked 8 at a time: the 8 that never answer held the lanes for the 10 s, and the rest were not asked after it.
    expect(page).toBeDefined();
    expect(page!.held.map((h) => h.userId)).toEqual(['u0']);
    expect(page!.unanswered).toHaveLength(99);
    expect(page!.unanswered.map((u) => u.userId)).toContain('u50');
    expect(w.queries()).toBeLessThanOrEqual(10);
  });

  it('lists what answers in time as held', async () => {
    const runs = Array.from({ length: 20 }, (_, i) => run(i));
    const w = world(runs, new Set(runs.map((r) => r.workflowId)));
    const page = await w.sut.page({});
    expect(page.held).toHaveLength(20);
    expect(page.unanswered).toEqual([]);
  });

  it('names the run holding each step, which a retry or skip sends back (with `since`) to decide that hold only', async () => {
    const w = world([run(7)], new Set([run(7).workflowId]));
    const [item] = (await w.sut.page({})).held;
    expect(item).toMatchObject({ workflowId: 'journey:spring:u7', runId: 'run-7', stepId: 'notify-crm', since: '2025-03-01T10:00:00.000Z' });
  });

  it('shows a journey listed with two runs (the moment it continues as new) once, from its newer run: a row\'s runId is the run its since was read from', async () => {
    const r1: HeldRun = { workflowId: 'journey:c:u', runId: 'r1', startMs: 1, campaignKey: 'c', userId: 'u' };
    const r2: HeldRun = { ...r1, runId: 'r2', startMs: 2 };
    const other: HeldRun = { workflowId: 'journey:c:v', runId: 'r3', startMs: 0, campaignKey: 'c', userId: 'v' };
    // Each run answers with a hold whose `since` names it; the old run answers last, as it may.
    const journeys = {
      bounded: boundedLikeTheGateway,
      heldRuns: async () => ({ runs: [r2, r1, other], next: null }),
      state: async (workflowId: string, runId: string) => {
        if (runId === 'r1') await new Promise((resolve) => setTimeout(resolve, 10));
        return { ...heldView({ ...r1, workflowId, runId }), held: [{ pathId: 'p1', stepId: 'notify-crm', summary: 's', error: 'e', since: `since-of-${runId}` }] } as unknown as JourneyView;
      },
    } as unknown as JourneyGateway;
    const campaigns = { versionsWithState: async () => new Map() } as unknown as CampaignsRepository;
    const sut = new HeldStepsService(journeys, { workflow: () => null } as unknown as TemporalLinks, new StateNamedVersionsCache(campaigns, { subscribe: () => undefined } as unknown as ChangeListener));
    const answer = sut.page({});
    await jest.advanceTimersByTimeAsync(10);
    const { held } = await answer;
    expect(held.filter((h) => h.workflowId === 'journey:c:u').map((h) => [h.runId, h.since])).toEqual([['r2', 'since-of-r2']]);
    for (const h of held) expect(h.since).toBe(`since-of-${h.runId}`);
    expect(held).toHaveLength(2);
  });
});

describe('HeldStepsService.page when Temporal fails to list', () => {
  /** The page, with `heldRuns` failing as the client's `list` does: every gRPC error wrapped in "Failed to list workflows". */
  async function failure(cause: Error): Promise<DependencyUnavailableError> {
    const journeys = { bounded: boundedLikeTheGateway, heldRuns: () => Promise.reject(new ServiceError('Failed to list workflows', { cause })) } as unknown as JourneyGateway;
    const campaigns = { versionsWithState: async () => new Map() } as unknown as CampaignsRepository;
    const sut = new HeldStepsService(journeys, { workflow: () => null } as unknown as TemporalLinks, new StateNamedVersionsCache(campaigns, { subscribe: () => undefined } as unknown as ChangeListener));
    const err = await sut.page({}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DependencyUnavailableError);
    return err as DependencyUnavailableError;
  }
  const grpc = (code: number, message: string, details: string) => Object.assign(new Error(message), { code, details, metadata: {} });

  it('says what Temporal refused, with no Retry-After: the same request meets the same answer', async () => {
    const err = await failure(grpc(3, '3 INVALID_ARGUMENT: invalid query', 'invalid query: CampaignVersion NOT IN (2)'));
    expect(err.retryAfterSeconds).toBeNull();
    expect(err.message).toContain('INVALID_ARGUMENT');
    expect(err.message).toContain('invalid query: CampaignVersion NOT IN (2)');
    expect(err.message).not.toContain('Failed to list workflows');
  });

  it('keeps Retry-After when Temporal cannot be reached or did not answer now', async () => {
    const unreachable = await failure(grpc(14, '14 UNAVAILABLE: No connection established', 'No connection established'));
    expect(unreachable.retryAfterSeconds).toBe(5);
    expect(unreachable.message).toContain('cannot be reached');
    const busy = await failure(grpc(8, '8 RESOURCE_EXHAUSTED: rate limited', 'rate limited'));
    expect(busy.retryAfterSeconds).toBe(5);
    expect(busy.message).toContain('rate limited');
  });
});
