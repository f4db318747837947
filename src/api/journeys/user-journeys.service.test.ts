import { ServiceError } from '@temporalio/client';
import type { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import type { JourneyGateway, JourneyRunInfo } from '../../temporal/journey-gateway';
import type { JourneyView } from '../../workflows/journey/contract';
import type { TemporalLinks } from './temporal-links';
import type { ChangeListener } from '../routing/change-listener';
import { StateNamedVersionsCache } from './state-named-versions';
import { UserJourneysService } from './user-journeys.service';
import { boundedLikeTheGateway } from './deadline-gateway.test-support';
import { DependencyUnavailableError } from '../common/errors';

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

/** A run whose JourneyState search attribute reads `shown` (and CampaignKey its campaign; its version is in the memo). */
const showing = (wf: JourneyRunInfo, shown: string): JourneyRunInfo =>
  ({
    ...wf,
    typedSearchAttributes: { get: (key: { name: string }) => (key.name === 'JourneyState' ? shown : key.name === 'CampaignKey' ? wf.workflowId.split(':')[1] : undefined) },
  }) as unknown as JourneyRunInfo;

const closedRunOf = (i: number): JourneyRunInfo => ({ ...runOf(i), status: { name: 'COMPLETED' }, closeTime: new Date(started.getTime() + 60_000) }) as unknown as JourneyRunInfo;

/**
 * `bounded` as the real one behaves (the call fails when its time is up); journeys in `answering` answer at once,
 * the others never (no worker). A journey in `after` answers (or, not answering, fails) after that many ms instead;
 * one in `refusing` fails at once with its error. `answer` is what a journey answers. `named` gives, by state name, the versions
 * of each campaign that have a state of that name (CampaignsRepository.versionsWithState). `asked` counts the state queries by run id.
 */
function world(runs: JourneyRunInfo[], answering: Set<string>, after = new Map<string, number>(), refusing = new Map<string, Error>(), answer = viewOf, named: Record<string, Map<string, number[]>> = {}) {
  const asked = new Map<string, number>();
  const journeys = {
    bounded: boundedLikeTheGateway,
    runsOf: async function* () {
      yield* runs;
    },
    state: (workflowId: string, runId: string) => {
      asked.set(runId, (asked.get(runId) ?? 0) + 1);
      const wf = runs.find((r) => r.workflowId === workflowId)!;
      const refusal = refusing.get(workflowId);
      if (refusal) return Promise.reject(refusal);
      const ms = after.get(workflowId);
      if (ms !== undefined) {
        return new Promise<JourneyView>((resolve, reject) =>
          setTimeout(() => (answering.has(workflowId) ? resolve(answer(wf)) : reject(new Error('Query failed: the worker gave up'))), ms),
        );
      }
      return answering.has(workflowId) ? Promise.resolve(answer(wf)) : new Promise<JourneyView>(() => undefined);
    },
  } as unknown as JourneyGateway;
  const links = { workflow: () => null } as unknown as TemporalLinks;
  const campaigns = { versionsWithState: async (name: string) => named[name] ?? new Map() } as unknown as CampaignsRepository;
  const sut = new UserJourneysService(journeys, links, campaigns, new StateNamedVersionsCache(campaigns, { subscribe: () => undefined } as unknown as ChangeListener));
  return Object.assign(sut, { asked: (runId?: string) => (runId ? (asked.get(runId) ?? 0) : [...asked.values()].reduce((a, b) => a + b, 0)) });
}

/** `list`, with the fake clock moved on until it answers. */
async function listed(sut: UserJourneysService): Promise<Awaited<ReturnType<UserJourneysService['list']>>> {
  let answer: Awaited<ReturnType<UserJourneysService['list']>> | undefined;
  void sut.list('ann').then((l) => (answer = l));
  for (let waited = 0; !answer && waited <= 10_000; waited += 1_000) await jest.advanceTimersByTimeAsync(waited === 0 ? 0 : 1_000);
  return answer!;
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
      runId: 'run-199',
      temporalUrl: null,
    });
    expect(listed!.journeys.filter((j) => j.journeyStatus === null)).toHaveLength(199);
  });

  it('asks a closed run once: its answer never changes, and asking again makes a worker replay it', async () => {
    const runs = [closedRunOf(0), closedRunOf(1), closedRunOf(2)];
    const sut = world(runs, new Set(runs.map((r) => r.workflowId)));
    const first = await listed(sut);
    const second = await listed(sut);
    expect(sut.asked()).toBe(3);
    expect(second).toEqual(first);
    // Its answer's states are where it stopped, not where it is: a closed run has no current state (see below).
    expect(second.journeys[0]).toMatchObject({ campaign: 'c0', status: 'completed', journeyStatus: 'active', state: null, entries: 1, closedAt: '2025-03-01T10:01:00.000Z' });
  });

  // Review 62, finding 1: a terminated run answered with its last state and held step ("terminated · now in middle ·
  // 1 held"), which nothing could act on (held-steps does not list it, retry or skip is a 404), and which the same
  // run read from visibility (no worker in time) showed as no state and nothing held.
  it('shows no current state and nothing held for a run that ended, answered or not; a run that continued as new keeps its answer', async () => {
    const heldIn = (wf: JourneyRunInfo): JourneyView =>
      ({ ...viewOf(wf), states: ['middle'], held: [{ pathId: 'p1', stepId: 's', summary: '', error: 'x', since: '2025-03-01T10:00:30.000Z' }] }) as unknown as JourneyView;
    const ended = (['TERMINATED', 'FAILED', 'TIMED_OUT', 'COMPLETED'] as const).map((name, i) => ({ ...closedRunOf(i), status: { name } }) as unknown as JourneyRunInfo);
    const continued = { ...closedRunOf(4), status: { name: 'CONTINUED_AS_NEW' } } as unknown as JourneyRunInfo;
    const runs = [...ended, continued];
    const answered = await listed(world(runs, new Set(runs.map((r) => r.workflowId)), undefined, undefined, heldIn));
    expect(answered.journeys.map((j) => ({ status: j.status, journeyStatus: j.journeyStatus, state: j.state, held: j.held, entries: j.entries }))).toEqual([
      { status: 'terminated', journeyStatus: 'active', state: null, held: 0, entries: 1 },
      { status: 'failed', journeyStatus: 'active', state: null, held: 0, entries: 1 },
      { status: 'timed_out', journeyStatus: 'active', state: null, held: 0, entries: 1 },
      { status: 'completed', journeyStatus: 'active', state: null, held: 0, entries: 1 },
      { status: 'continued_as_new', journeyStatus: 'active', state: 'middle', held: 1, entries: 1 },
    ]);
    // The same terminated run with no worker to answer reads the same.
    const silent = await listed(world([showing(ended[0], 'held')], new Set()));
    expect(silent.journeys[0]).toMatchObject({ status: 'terminated', journeyStatus: null, state: null, held: 0 });
  });

  it('asks a running journey every time, and a closed run that could not answer again only after a minute', async () => {
    const [running, silent] = [runOf(0), closedRunOf(1)];
    const sut = world([running, silent], new Set([running.workflowId]));
    expect((await listed(sut)).journeys.map((j) => j.journeyStatus)).toEqual(['active', null]);
    expect(sut.asked(silent.runId)).toBe(1);
    // The next poll does not wait for it again.
    const before = Date.now();
    expect((await listed(sut)).journeys.map((j) => j.journeyStatus)).toEqual(['active', null]);
    expect(Date.now() - before).toBeLessThan(1_000);
    expect({ running: sut.asked(running.runId), silent: sut.asked(silent.runId) }).toEqual({ running: 2, silent: 1 });
    await jest.advanceTimersByTimeAsync(60_000);
    await listed(sut);
    expect({ running: sut.asked(running.runId), silent: sut.asked(silent.runId) }).toEqual({ running: 3, silent: 2 });
  });

  it('does not remember a closed run it had no time left to ask as one that could not answer', async () => {
    // Eight silent running journeys take the 8 query slots until the deadline; the closed run waits behind them.
    const silent = Array.from({ length: 8 }, (_, i) => runOf(i));
    const closed = closedRunOf(8);
    const answering = new Set([closed.workflowId]);
    const sut = world([...silent, closed], answering);
    expect((await listed(sut)).journeys.at(-1)).toMatchObject({ campaign: '', journeyStatus: null });
    expect(sut.asked(closed.runId)).toBe(0);
    for (const wf of silent) answering.add(wf.workflowId);
    expect((await listed(sut)).journeys.at(-1)).toMatchObject({ campaign: 'c8', journeyStatus: 'active' });
    expect(sut.asked(closed.runId)).toBe(1);
  });

  it('does not remember a closed run asked with only a moment left before the deadline as one that could not answer', async () => {
    // Seven silent running journeys and one that fails after 9.9 s hold the 8 query slots; the closed run, which takes
    // 500 ms to answer (a worker replays it), gets the slot freed with 100 ms left of the request's 10 s.
    const silent = Array.from({ length: 7 }, (_, i) => runOf(i));
    const failing = runOf(7);
    const closed = closedRunOf(8);
    const answering = new Set([closed.workflowId]);
    const after = new Map([
      [failing.workflowId, 9_900],
      [closed.workflowId, 500],
    ]);
    const sut = world([...silent, failing, closed], answering, after);
    expect((await listed(sut)).journeys.at(-1)).toMatchObject({ campaign: '', journeyStatus: null });
    expect(sut.asked(closed.runId)).toBe(1);
    // The running journeys answer at once now; well within the minute, the closed run is asked again, and answers.
    for (const wf of [...silent, failing]) answering.add(wf.workflowId);
    after.delete(failing.workflowId);
    expect((await listed(sut)).journeys.at(-1)).toMatchObject({ campaign: 'c8', journeyStatus: 'active' });
    expect(sut.asked(closed.runId)).toBe(2);
  });

  it('remembers a closed run that said it cannot answer, however little time it was asked with', async () => {
    const silent = Array.from({ length: 7 }, (_, i) => runOf(i));
    const failing = runOf(7);
    const closed = closedRunOf(8);
    const after = new Map([[failing.workflowId, 9_900]]);
    // Temporal's FAILED_PRECONDITION (WorkflowNotReady): it closed before its first workflow task completed.
    const notReady = Object.assign(new Error('9 FAILED_PRECONDITION: Workflow task is not scheduled yet.'), { code: 9, details: 'Workflow task is not scheduled yet.', metadata: {} });
    const sut = world([...silent, failing, closed], new Set(), after, new Map([[closed.workflowId, notReady]]));
    expect((await listed(sut)).journeys.at(-1)).toMatchObject({ journeyStatus: null });
    await listed(sut);
    expect(sut.asked(closed.runId)).toBe(1);
  });

  describe('a journey that does not answer, read from its JourneyState attribute', () => {
    it('shows no state for a journey holding a step (`held` is not a state), and at least the one held step visibility knows of', async () => {
      const sut = world([showing(runOf(0), 'held')], new Set());
      expect((await listed(sut)).journeys[0]).toMatchObject({ journeyStatus: null, state: null, held: 1 });
    });

    it('reads `held` as a state in a version that has a state named held, and `(held)` as its held marker (patch schedule-end-held-apart)', async () => {
      const runs = [showing(runOf(0), 'held'), showing(runOf(1), '(held)'), showing(runOf(2), 'held')];
      const sut = world(runs, new Set(), undefined, undefined, undefined, { held: new Map([['c0', [2]], ['c1', [2]], ['c2', [1]]]) });
      expect((await listed(sut)).journeys.map((j) => [j.campaign, j.state, j.held])).toEqual([
        ['c0', 'held', 0],
        ['c1', null, 1],
        ['c2', null, 1],
      ]);
    });

    it('shows no state for a closed run: its attribute keeps where it ended', async () => {
      const sut = world([showing(closedRunOf(0), 'rewarded'), showing(closedRunOf(1), 'held')], new Set());
      expect((await listed(sut)).journeys.map((j) => ({ state: j.state, held: j.held, status: j.status }))).toEqual([
        { state: null, held: 0, status: 'completed' },
        { state: null, held: 0, status: 'completed' },
      ]);
    });

    it('shows no state for `(exited)` nor `none`, and the states of a running journey as written', async () => {
      const sut = world([showing(runOf(0), '(exited)'), showing(runOf(1), 'none'), showing(runOf(2), 'collecting,waiting')], new Set());
      expect((await listed(sut)).journeys.map((j) => [j.state, j.held])).toEqual([
        [null, 0],
        [null, 0],
        ['collecting,waiting', 0],
      ]);
    });

    it('reads `none` as a state in a version that has a state named none, and as no state in every other version', async () => {
      // c0 v2 has a state `none`; c1 has one only in v1; c2 has none of that name, and c3 one named `held` (not `none`).
      const runs = [showing(runOf(0), 'none'), showing(runOf(1), 'none'), showing(runOf(2), 'none'), showing(runOf(3), 'none'), showing(runOf(4), 'none,waiting')];
      const named = { none: new Map([['c0', [2]], ['c1', [1]]]), held: new Map([['c3', [2]]]) };
      const sut = world(runs, new Set(), undefined, undefined, undefined, named);
      expect((await listed(sut)).journeys.map((j) => [j.campaign, j.state, j.held])).toEqual([
        ['c0', 'none', 0],
        ['c1', null, 0],
        ['c2', null, 0],
        ['c3', null, 0],
        ['c4', 'none,waiting', 0],
      ]);
    });
  });

  it('shows an answered journey\'s states as its attribute does: each once, sorted', async () => {
    const wf = runOf(0);
    const twoWaiting = (run: JourneyRunInfo): JourneyView => ({ ...viewOf(run), states: ['waiting', 'collecting', 'waiting'] });
    const sut = world([wf], new Set([wf.workflowId]), undefined, undefined, twoWaiting);
    expect((await listed(sut)).journeys[0].state).toBe('collecting,waiting');
  });

  describe('truncated', () => {
    it('is false for a user with exactly 200 journeys: nothing more was left to list', async () => {
      const runs = Array.from({ length: 200 }, (_, i) => runOf(i));
      const sut = world(runs, new Set(runs.map((r) => r.workflowId)));
      const answer = await listed(sut);
      expect({ listed: answer.journeys.length, truncated: answer.truncated }).toEqual({ listed: 200, truncated: false });
    });

    it('is true for a user with 201 journeys, listing 200', async () => {
      const runs = Array.from({ length: 201 }, (_, i) => runOf(i));
      const sut = world(runs, new Set(runs.map((r) => r.workflowId)));
      const answer = await listed(sut);
      expect({ listed: answer.journeys.length, truncated: answer.truncated }).toEqual({ listed: 200, truncated: true });
    });

    it('is false for exactly 1,000 runs, and true for 1,001', async () => {
      // 200 journeys of 5 runs each: 1,000 runs, all folded in.
      const runsOfJourneys = (count: number) =>
        Array.from({ length: count }, (_, i) => ({ ...runOf(i % 200), runId: `run-${i}`, startTime: new Date(started.getTime() + i) }) as unknown as JourneyRunInfo);
      const exact = await listed(world(runsOfJourneys(1_000), new Set(Array.from({ length: 200 }, (_, i) => `journey:c${i}:ann`))));
      expect({ listed: exact.journeys.length, truncated: exact.truncated }).toEqual({ listed: 200, truncated: false });
      const more = await listed(world(runsOfJourneys(1_001), new Set(Array.from({ length: 200 }, (_, i) => `journey:c${i}:ann`))));
      expect({ listed: more.journeys.length, truncated: more.truncated }).toEqual({ listed: 200, truncated: true });
    });
  });
});

describe('UserJourneysService.list when Temporal fails to list', () => {
  const refusal = () =>
    new ServiceError('Failed to list workflows', {
      cause: Object.assign(new Error('3 INVALID_ARGUMENT: invalid query'), { code: 3, details: 'invalid query: unknown search attribute UserId', metadata: {} }),
    });
  const unreachable = () => new ServiceError('Failed to list workflows', { cause: Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14, details: 'No connection established', metadata: {} }) });

  /** `list(userId)` with runsOf (visibility) and describe (ids visibility cannot match) failing with `err`. */
  async function failure(userId: string, err: () => Error): Promise<DependencyUnavailableError> {
    const journeys = {
      bounded: boundedLikeTheGateway,
      taskQueue: 'q',
      idOf: (campaign: string, user: string) => `journey:${campaign}:${user}`,
      runsOf: async function* () {
        yield* [];
        throw err();
      },
      describe: () => Promise.reject(err()),
    } as unknown as JourneyGateway;
    const campaigns = { list: async () => [{ key: 'spring' }], versionsWithState: async () => new Map() } as unknown as CampaignsRepository;
    const sut = new UserJourneysService(journeys, { workflow: () => null } as unknown as TemporalLinks, campaigns, new StateNamedVersionsCache(campaigns, { subscribe: () => undefined } as unknown as ChangeListener));
    const rejected = await sut.list(userId).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(rejected).toBeInstanceOf(DependencyUnavailableError);
    return rejected as DependencyUnavailableError;
  }

  it('says what Temporal refused (its status and text), with no Retry-After: the same request meets the same answer', async () => {
    // 'ann' is listed through visibility (runsOf); 'a"b', which visibility cannot match, by describing each campaign's journey.
    for (const userId of ['ann', 'a"b']) {
      const err = await failure(userId, refusal);
      expect(err.retryAfterSeconds).toBeNull();
      expect(err.message).toContain('INVALID_ARGUMENT');
      expect(err.message).toContain('invalid query: unknown search attribute UserId');
    }
  });

  it('keeps Retry-After when Temporal cannot be reached', async () => {
    for (const userId of ['ann', 'a"b']) {
      const err = await failure(userId, unreachable);
      expect(err.retryAfterSeconds).toBe(5);
      expect(err.message).toContain('cannot be reached');
    }
  });
});
