import { ApplicationFailure } from '@temporalio/common';
import { startMemoryActivitiesWorker, type MemoryActivitiesWorker } from '../support/memory-activities-worker';
import type { Activities } from '../../src/activities';
import type { JourneyEvent } from '../../src/domain/event';
import { JourneyGateway, routedEvent } from '../../src/temporal/journey-gateway';
import type { JourneyView } from '../../src/workflows/journey/contract';
import { eventually } from '../support/system-under-test';

/**
 * The workflow tier of patch entry-follows-activation: the real journey
 * workflow on the shared test server, activities in memory, campaigns by
 * (key, version). What only the shell decides is asserted here: an idle
 * journey moves to the version its entry was routed to only once nothing it
 * started is outstanding, so the next run never starts the old plan's work
 * again (test/version-reentry.test.ts covers the API's side).
 */

type MoveActivities = Pick<Activities, 'loadJourneyStart' | 'loadProfile' | 'recordTransition' | 'recordTransitions' | 'issueReward' | 'issueRewardWithLog' | 'reclaimRewards'>;
type RewardInput = Parameters<Activities['issueReward']>[0];

describe('an idle journey moves to the routed version once nothing is outstanding', () => {
  const definitions = new Map<string, Record<string, unknown>>();
  const rewardIssues: RewardInput[] = [];
  let release: () => void = () => undefined;
  let blocked: Promise<void> | undefined;
  let w: MemoryActivitiesWorker;
  let journeys: JourneyGateway;

  const activities = (): MoveActivities => ({
    loadJourneyStart: async (req) => {
      const definition = definitions.get(`${req.campaignKey}@${req.version}`);
      if (!definition) throw ApplicationFailure.nonRetryable(`no campaign ${req.campaignKey} v${req.version}`, 'UnknownCampaignVersion');
      return { definition, prior: { count: 0, times: [] }, ...(req.withProfile ? { profile: {} } : {}) };
    },
    loadProfile: async () => ({}),
    recordTransition: async () => ({ written: true }),
    recordTransitions: async ({ records }) => ({ written: records.length }),
    issueReward: async (input) => issue(input),
    issueRewardWithLog: async ({ reward }) => issue(reward),
    // An activity an exit does not stop (a webhook it does, patch cancel-stops-effects).
    reclaimRewards: async (input) => {
      await blocked;
      reclaims.push(input.eventId);
      return { eventId: input.eventId, results: [] };
    },
  });
  const reclaims: string[] = [];
  const issue = async (input: RewardInput): Promise<Awaited<ReturnType<Activities['issueReward']>>> => {
    rewardIssues.push(input);
    return { outcome: 'issued', reward: { id: `r-${rewardIssues.length}`, code: null } };
  };

  beforeAll(async () => {
    w = await startMemoryActivitiesWorker('kairos-move', activities());
    journeys = new JourneyGateway(w.client, w.taskQueue);
  }, 120_000);
  afterAll(async () => {
    // A failed test may leave the reclaim waiting: the worker's shutdown waits for its activities.
    release();
    await w?.stop();
  });

  const send = async (version: number, userId: string, type: string, id: string, kind: 'start' | 'signal' = 'start') => {
    const workflowId = journeys.idOf('moving', userId);
    const event: JourneyEvent = { version: 1, id, type, userId, occurredAt: new Date().toISOString(), properties: {} };
    await journeys.deliver({ kind, workflowId, campaignKey: 'moving', campaignVersion: version, userId, event });
    return workflowId;
  };
  const waitForView = (workflowId: string, predicate: (v: JourneyView) => boolean) =>
    eventually(async () => {
      const v = await journeys.state(workflowId).catch(() => undefined);
      return v && predicate(v) ? v : undefined;
    }, 30_000);

  /** 5 points on entering `hook`. */
  const fivePoints = { steps: [{ id: 'pts', type: 'points', amount: 5 }] };
  /** Campaign `moving`: v1 waits an hour in `hook` (running `hookActions` there), v2 an hour in `second`; a `quit` exits. */
  function defineMoving(hookActions?: unknown): void {
    const v1 = {
      key: 'moving',
      name: 'moving v1',
      entry: { on: 'visit' },
      participation: { maxEntries: 3 },
      exitOn: [{ on: 'quit' }],
      initial: 'hook',
      states: { hook: { ...(hookActions ? { actions: hookActions } : {}), transitions: [{ to: 'done', after: 'PT1H' }] }, done: { end: true } },
    };
    definitions.set('moving@1', v1);
    definitions.set('moving@2', { ...v1, name: 'moving v2', initial: 'second', states: { second: { transitions: [{ to: 'done', after: 'PT1H' }] }, done: { end: true } } });
  }
  /** `userId`'s events, as the outbox hands them over. */
  const eventOf =
    (userId: string) =>
    (id: string, type: string, properties: Record<string, unknown> = {}): JourneyEvent => ({ version: 1, id, type, userId, occurredAt: new Date().toISOString(), properties });

  it('waits for a reclaim of a path that exited, then runs the entry on v2; v1 issued its reward once', async () => {
    defineMoving(fivePoints);
    blocked = new Promise<void>((r) => (release = r));

    const id = await send(1, 'ann', 'visit', 'm-1');
    await waitForView(id, (v) => v.paths[0]?.steps.pts === 'succeeded');
    // The visit is cancelled (its reward is being reclaimed), then the user exits: the journey is idle, the reclaim outstanding.
    await journeys.cancelEvent({ eventId: 'm-1', reason: 'fraud', workflowIds: [id] });
    await waitForView(id, (v) => v.rewards[0]?.status === 'reclaimed');
    await send(1, 'ann', 'quit', 'm-q', 'signal');
    await waitForView(id, (v) => v.status === 'idle');
    await send(2, 'ann', 'visit', 'm-2');
    await new Promise((r) => setTimeout(r, 1500));
    // Still on v1: the entry waits for the reclaim rather than leaving it to a run on v2.
    expect(await journeys.state(id)).toMatchObject({ campaignVersion: 1, entries: 1 });

    release();
    const moved = await waitForView(id, (v) => v.entries === 2);
    expect(moved).toMatchObject({ campaignVersion: 2, paths: [{ pathId: 'p2', state: 'second' }] });
    await new Promise((r) => setTimeout(r, 500));
    // The shell passes the journey's version along with every action.
    expect(rewardIssues.map((r) => (r as RewardInput & { campaignVersion?: number }).campaignVersion)).toEqual([1]);
    expect(reclaims).toEqual(['m-1']);
  });

  it('moves with a backlog over 512 KiB behind the routed entry, rather than deciding it on the old version (patch ended-paths-hold-nothing)', async () => {
    defineMoving();
    const id = await send(1, 'bo', 'visit', 'b-1');
    await waitForView(id, (v) => v.paths[0]?.state === 'hook');
    await send(1, 'bo', 'quit', 'b-q', 'signal');
    await waitForView(id, (v) => v.status === 'idle');
    // One call, as the outbox sends a queued backlog: the entry routed to v2, then three events of 200 KB.
    const event = eventOf('bo');
    const backlog = [0, 1, 2].map((i) => event(`b-big-${i}`, 'page.viewed', { blob: `${i}:${'x'.repeat(200_000)}` }));
    const routed = { kind: 'start' as const, campaignVersion: 2 };
    const events = [event('b-2', 'visit'), ...backlog].map((e) => routedEvent(e, routed));
    await journeys.deliverEvents({ ...routed, workflowId: id, campaignKey: 'moving', userId: 'bo', events });
    const moved = await waitForView(id, (v) => v.entries === 2);
    expect(moved).toMatchObject({ campaignVersion: 2, paths: [{ pathId: 'p2', state: 'second' }] });
    await journeys.exit(id, 'test over');
  });

  it('takes the entry on the old version when more came during its wait than a move can carry, never a hand-over Temporal refuses (patch ended-paths-hold-nothing)', async () => {
    defineMoving(fivePoints);
    blocked = new Promise<void>((r) => (release = r));
    const id = await send(1, 'cy', 'visit', 'c-1');
    await waitForView(id, (v) => v.paths[0]?.steps.pts === 'succeeded');
    // Its reward's reclaim is held back, and the user exits: idle, with the reclaim outstanding.
    await journeys.cancelEvent({ eventId: 'c-1', reason: 'fraud', workflowIds: [id] });
    await waitForView(id, (v) => v.rewards[0]?.status === 'reclaimed');
    await send(1, 'cy', 'quit', 'c-q', 'signal');
    await waitForView(id, (v) => v.status === 'idle');
    const event = eventOf('cy');
    const routed = { kind: 'start' as const, campaignVersion: 2 };
    const blob = (id: string) => routedEvent(event(id, 'page.viewed', { blob: `${id}:${'x'.repeat(240_000)}` }), routed);
    // The entry routed to v2 and 1 MB behind it: a move can carry that, so the journey waits for the reclaim to move.
    await journeys.deliverEvents({ ...routed, workflowId: id, campaignKey: 'moving', userId: 'cy', events: [routedEvent(event('c-2', 'visit'), routed), ...['c-a', 'c-b', 'c-c', 'c-d'].map(blob)] });
    await new Promise((r) => setTimeout(r, 1000));
    // 1.5 MB more while it waits: moved now, its input (2.4 MB) would pass what Temporal takes (2 MB).
    for (const ids of [['c-e', 'c-f'], ['c-g', 'c-h'], ['c-i', 'c-j']]) await journeys.deliverEvents({ ...routed, workflowId: id, campaignKey: 'moving', userId: 'cy', events: ids.map(blob) });
    release();
    const taken = await waitForView(id, (v) => v.entries === 2);
    expect(taken).toMatchObject({ campaignVersion: 1, status: 'active', paths: [{ pathId: 'p2', state: 'hook' }] });
    await journeys.exit(id, 'test over');
  });
});
