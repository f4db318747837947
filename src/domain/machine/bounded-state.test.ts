import { compiled, TestJourney } from '../testing/journey';
import { jsonBytes } from '../json-size';
import { LIMITS, pushRewardBounded, withinRewardBudget, type RewardRecord } from './state';

/** A reward once both counts are reached: the condition reads two aggregates. */
const twoCounts = (n: number) =>
  compiled({
    key: 'two-counts',
    name: 'two counts',
    entry: { on: 'start' },
    initial: 'counting',
    states: {
      counting: { transitions: [{ to: 'rewarded', when: `count('a') >= ${n} and count('b') >= ${n}` }] },
      rewarded: { actions: { strategy: 'parallel', steps: [{ id: 'pts', type: 'points', amount: 10 }] }, transitions: [{ to: 'done', after: 'P1D' }] },
      done: { end: true },
    },
  });

/** Each entry waits a month: every start is a path of its own. */
const parallelWaits = (participation: Record<string, unknown> = {}) =>
  compiled({
    key: 'waits',
    name: 'waits',
    entry: { on: 'start' },
    participation: { maxEntries: 100_000, mode: 'parallel', ...participation },
    initial: 'waiting',
    states: { waiting: { transitions: [{ to: 'done', after: 'P30D' }] }, done: { end: true } },
  });

describe('the causes a reward records (patch bounded-journey-state)', () => {
  const rewarded = (boundedState: boolean) => {
    const j = new TestJourney(twoCounts(150), { stepOptions: { boundedState } });
    j.event('start', {}, { id: 's' });
    for (let i = 0; i < 150; i++) j.event('a', {}, { id: `a-${i}` });
    for (let i = 0; i < 150; i++) j.event('b', {}, { id: `b-${i}` });
    const reward = j.lastEffects('runAction')[0];
    return { j, reward };
  };

  it('are the newest 199, the newest of each aggregate the condition read', () => {
    const { j, reward } = rewarded(true);
    expect(reward.causedBy).toHaveLength(LIMITS.causedBy);
    expect(reward.causedBy).toEqual(expect.arrayContaining(['a-149', 'b-149', 'a-51', 'b-51']));
    expect(reward.causedBy).not.toContain('a-0');
    expect(reward.causedBy).not.toContain('b-0');
    expect(j.state.rewards[0].causedBy).toEqual(reward.causedBy);
  });

  it('a cancel of one of them reclaims the reward; of an older one, not', () => {
    const { j, reward } = rewarded(true);
    j.outcome(reward.stepId, 'succeeded');
    j.cancel('a-10');
    expect(j.lastEffects('reclaimRewards')).toEqual([]);
    j.cancel('b-149');
    expect(j.lastEffects('reclaimRewards')).toEqual([{ kind: 'reclaimRewards', eventId: 'b-149', idempotencyKeys: [reward.idempotencyKey] }]);
  });

  it('were every event of every aggregate for journeys from before the patch', () => {
    expect(rewarded(false).reward.causedBy).toHaveLength(300);
  });
});

describe('parallel paths (patch bounded-journey-state)', () => {
  it(`a journey runs at most ${LIMITS.activePaths} paths when the campaign sets no maxActive`, () => {
    const j = new TestJourney(parallelWaits());
    for (let i = 0; i <= LIMITS.activePaths; i++) j.event('start', {}, { id: `s-${i}` });
    expect(j.state.paths).toHaveLength(LIMITS.activePaths);
    expect(j.notes()).toEqual(expect.arrayContaining([expect.stringContaining(`parallel mode: ${LIMITS.activePaths} paths active; a journey runs at most ${LIMITS.activePaths}`)]));
    // Once one ends, the next start enters again.
    j.wait(31 * 86_400).fireDueTimers();
    j.event('start', {}, { id: 's-late' });
    expect(j.state.paths).toHaveLength(1);
  });

  it('no new path while the state weighs over the budget', () => {
    const j = new TestJourney(parallelWaits());
    const blob = 'x'.repeat(200 * 1024);
    for (let i = 0; i < 10; i++) j.event('start', { blob }, { id: `s-${i}` });
    expect(j.state.paths.length).toBeGreaterThan(1);
    expect(j.state.paths.length).toBeLessThan(10);
    expect(j.notes()).toEqual(expect.arrayContaining([expect.stringMatching(/^refused: parallel mode: the journey's state weighs \d+ KiB with \d+ paths active; no new path over 1024 KiB/)]));
    expect(jsonBytes(j.state)).toBeLessThan(LIMITS.entryStateBytes + 300 * 1024);
  });

  it('journeys from before the patch admit every path', () => {
    const j = new TestJourney(parallelWaits(), { stepOptions: { boundedState: false } });
    for (let i = 0; i <= LIMITS.activePaths; i++) j.event('start', {}, { id: `s-${i}` });
    expect(j.state.paths).toHaveLength(LIMITS.activePaths + 1);
  });

  it('a lower maxActive still rules', () => {
    const j = new TestJourney(parallelWaits({ maxActive: 3 }));
    for (let i = 0; i < 5; i++) j.event('start', {}, { id: `s-${i}` });
    expect(j.state.paths).toHaveLength(3);
  });
});

describe('reward records in the state (patch bounded-journey-state)', () => {
  /** `waiting`: its step has not reported an outcome yet (a pending record always waits). */
  const record = (i: number, status: RewardRecord['status'], waiting = status === 'pending'): RewardRecord => ({
    pathId: `p${i}`,
    stepId: 'pts',
    type: 'points',
    idempotencyKey: `k-${i}`,
    causedBy: Array.from({ length: LIMITS.causedBy }, (_, c) => `event-${i}-${c}-${'y'.repeat(150)}`),
    status,
    ...(waiting ? {} : { outcome: 'succeeded' }),
  });

  it('past the budget, the oldest settled ones go; those still waiting for their outcome stay', () => {
    // k-0 is being issued; k-1 was cancelled while being issued (reclaimed, its outcome still to come).
    const rewards = Array.from({ length: 30 }, (_, i) => (i === 0 ? record(i, 'pending') : i === 1 ? record(i, 'reclaimed', true) : record(i, 'issued')));
    expect(jsonBytes(rewards)).toBeGreaterThan(LIMITS.rewardBytes);
    const kept = withinRewardBudget(rewards);
    expect(jsonBytes(kept)).toBeLessThanOrEqual(LIMITS.rewardBytes);
    expect(kept.slice(0, 2).map((r) => r.idempotencyKey)).toEqual(['k-0', 'k-1']);
    expect(kept.at(-1)?.idempotencyKey).toBe('k-29');
    expect(kept.map((r) => r.idempotencyKey)).not.toContain('k-2');
  });

  it('within the budget, every record stays', () => {
    const rewards = [record(0, 'issued'), record(1, 'reclaimed')];
    expect(withinRewardBudget(rewards)).toBe(rewards);
  });

  it('a journey that issues many rewards with many causes keeps its records within the budget', () => {
    const j = new TestJourney(
      compiled({
        key: 'loop',
        name: 'loop',
        entry: { on: 'start' },
        initial: 'counting',
        states: {
          counting: { transitions: [{ to: 'rewarded', when: "count('a') >= 199" }] },
          rewarded: { actions: { strategy: 'parallel', steps: [{ id: 'pts', type: 'points', amount: 1 }] }, transitions: [{ to: 'counting' }] },
        },
      }),
      { stepOptions: { inPlace: true } },
    );
    j.event('start', {}, { id: 's' });
    const id = (round: number, i: number) => `${round}-${i}-`.padEnd(200, 'z');
    for (let round = 0; round < 16; round++) {
      for (let i = 0; i < 199; i++) j.event('a', {}, { id: id(round, i) });
      j.succeedAll();
    }
    expect(j.effects.filter((e) => e.kind === 'runAction')).toHaveLength(16);
    expect(jsonBytes(j.state.rewards)).toBeLessThanOrEqual(LIMITS.rewardBytes);
    expect(j.state.rewards.length).toBeLessThan(16);
    expect(j.state.rewards.at(-1)?.causedBy).toContain(id(15, 198));
  });
});

describe('the reward records count cap (patch unsettled-rewards-kept; review-47-rewards, finding 1)', () => {
  /** One state whose parallel group starts more reward steps at once than the journey keeps records of. */
  const many = LIMITS.rewards + 1;
  const generous = compiled({
    key: 'generous',
    name: 'generous',
    entry: { on: 'start' },
    initial: 'rewarded',
    states: {
      rewarded: { actions: { strategy: 'parallel', steps: Array.from({ length: many }, (_, i) => ({ id: `p${i}`, type: 'points', amount: 1 })) }, transitions: [{ to: 'more', on: 'more' }] },
      more: { actions: { steps: [{ id: 'last', type: 'points', amount: 1 }] }, end: true },
    },
  });
  const started = (unsettledRewardsKept?: boolean) => {
    const j = new TestJourney(generous, { stepOptions: unsettledRewardsKept === undefined ? {} : { unsettledRewardsKept } });
    j.event('start', {}, { id: 's' });
    expect(j.lastEffects('runAction')).toHaveLength(many);
    return j;
  };

  it('keeps every record whose issue is under way: a cancel of the event reclaims all of them', () => {
    const j = started();
    expect(j.state.rewards).toHaveLength(many);
    const keys = j.lastEffects('runAction').map((e) => e.idempotencyKey);
    j.cancel('s');
    expect(new Set(j.lastEffects('reclaimRewards')[0].idempotencyKeys)).toEqual(new Set(keys));
  });

  it('drops the oldest settled records as their outcomes come in', () => {
    const j = started();
    j.succeedAll();
    // Once their outcomes are in, the bound holds again, without waiting for another reward step (review-47-diff, finding 3).
    expect(j.state.rewards).toHaveLength(LIMITS.rewards);
    expect(j.state.rewards[0].stepId).toBe('p1');
    j.event('more', {}, { id: 'm' });
    expect(j.state.rewards).toHaveLength(LIMITS.rewards);
    // The two oldest went; the newest, still being issued, is there.
    expect(j.state.rewards[0].stepId).toBe('p2');
    expect(j.state.rewards.at(-1)).toMatchObject({ stepId: 'last', status: 'pending' });
  });

  it('journeys from before the patch dropped the oldest records, pending or not: the cancel missed one', () => {
    const j = started(false);
    expect(j.state.rewards).toHaveLength(LIMITS.rewards);
    j.cancel('s');
    expect(j.lastEffects('reclaimRewards')[0].idempotencyKeys).toHaveLength(LIMITS.rewards);
  });

  it('pushRewardBounded drops settled records oldest first, and none that waits for its outcome', () => {
    const record = (i: number, settled: boolean): RewardRecord => ({
      pathId: 'p',
      stepId: `s${i}`,
      type: 'points',
      idempotencyKey: `k-${i}`,
      causedBy: [],
      status: settled ? 'issued' : 'pending',
      ...(settled ? { outcome: 'succeeded' } : {}),
    });
    const rewards = [record(0, false), record(1, true), record(2, false), record(3, true)];
    pushRewardBounded(rewards, record(4, false), 3);
    expect(rewards.map((r) => r.idempotencyKey)).toEqual(['k-0', 'k-2', 'k-4']);
    pushRewardBounded(rewards, record(5, false), 3);
    expect(rewards.map((r) => r.idempotencyKey)).toEqual(['k-0', 'k-2', 'k-4', 'k-5']);
  });
});

describe('message data (patch bounded-journey-state)', () => {
  const mailing = compiled({
    key: 'mail',
    name: 'mail',
    entry: { on: 'start' },
    initial: 'mailed',
    states: { mailed: { actions: { steps: [{ id: 'mail', type: 'message', channel: 'email', template: 'bio', data: { a: 'user.bio', b: 'user.bio' } }] }, end: true } },
  });
  const bio = 'b'.repeat(150 * 1024);

  it('over the budget, the step fails and says why; nothing is sent', () => {
    const j = new TestJourney(mailing, { user: { bio } });
    j.event('start', {}, { id: 's' });
    expect(j.effects.filter((e) => e.kind === 'runAction')).toEqual([]);
    expect(j.notes()).toEqual(expect.arrayContaining([`action: mail failed: its data weighs 301 KiB; a message carries at most ${LIMITS.messageDataBytes / 1024} KiB`]));
  });

  it('within it, the message goes; journeys from before the patch sent any size', () => {
    const small = new TestJourney(mailing, { user: { bio: 'short' } });
    small.event('start', {}, { id: 's' });
    expect(small.lastEffects('runAction')).toHaveLength(1);
    const old = new TestJourney(mailing, { user: { bio }, stepOptions: { boundedState: false } });
    old.event('start', {}, { id: 's' });
    expect(old.lastEffects('runAction')).toHaveLength(1);
  });
});
