import { LIMITS } from './state';
import { spendAndPost } from '../testing/campaigns';
import { compiled, TestJourney } from '../testing/journey';

const journey = () => {
  const j = new TestJourney(compiled(spendAndPost()), { user: { level: 2 } });
  j.event('order.completed', { amount: 25 }, { id: 'ord-1' });
  return j;
};

describe('cancelling an event', () => {
  it('before the reward: the event stops counting in pending aggregates', () => {
    const j = journey();
    j.event('order.completed', { amount: 10 }, { id: 'ord-2' });
    for (let i = 0; i < 9; i++) j.event('post.created', {}, { id: `post-${i}` });
    j.cancel('post-0');
    expect(j.lastEffects('reclaimRewards')).toEqual([]);
    j.event('post.created', {}, { id: 'post-9' });
    expect(j.currentStates()).toEqual(['collecting']);
    j.event('post.created', {}, { id: 'post-10' });
    expect(j.currentStates()).toEqual(['rewarded']);
    // The cancelled event was no cause of the reward.
    expect(j.lastEffects('runAction')[0].causedBy).not.toContain('post-0');
    expect(j.lastEffects('runAction')[0].action).toEqual({ type: 'points', amount: 350, pool: null });
  });

  it('after the reward: every reward it helped cause is reclaimed, once', () => {
    const j = journey();
    for (let i = 0; i < 10; i++) j.event('post.created', {}, { id: `post-${i}` });
    const reward = j.lastEffects('runAction')[0];
    j.outcome(reward.stepId, 'succeeded', { rewardId: 'r-1' });
    expect(j.state.status).toBe('ended');
    j.cancel('ord-1');
    expect(j.lastEffects('reclaimRewards')).toEqual([{ kind: 'reclaimRewards', eventId: 'ord-1', idempotencyKeys: [reward.idempotencyKey] }]);
  });

  it('reclaiming twice is the same as once', () => {
    const j = journey();
    for (let i = 0; i < 10; i++) j.event('post.created', {}, { id: `post-${i}` });
    j.outcome(j.lastEffects('runAction')[0].stepId, 'succeeded');
    j.cancel('post-3');
    expect(j.lastEffects('reclaimRewards')).toHaveLength(1);
    j.cancel('post-3');
    expect(j.last.effects).toEqual([]);
    j.cancel('post-4');
    expect(j.lastEffects('reclaimRewards')).toEqual([]);
  });

  it('while the reward is being issued: reclaimed as soon as it exists', () => {
    const j = journey();
    for (let i = 0; i < 10; i++) j.event('post.created', {}, { id: `post-${i}` });
    const reward = j.lastEffects('runAction')[0];
    j.cancel('ord-1');
    expect(j.lastEffects('reclaimRewards')).toHaveLength(1);
    j.outcome(reward.stepId, 'succeeded');
    expect(j.lastEffects('reclaimRewards')).toEqual([{ kind: 'reclaimRewards', eventId: 'ord-1', idempotencyKeys: [reward.idempotencyKey] }]);
  });

  it('a cancelled event that arrives late is ignored', () => {
    const j = journey();
    j.cancel('ord-9');
    j.event('order.completed', { amount: 5 }, { id: 'ord-9' });
    expect(j.last.effects).toEqual([]);
    expect(j.state.paths[0].window["count('order.completed')"]).toHaveLength(1);
  });
});

describe('cancelling an event folded into a summary', () => {
  const counting = () =>
    new TestJourney(
      compiled({ key: 'fold', name: 'fold', entry: { on: 'start' }, initial: 'counting', states: { counting: { transitions: [{ to: 'done', when: "count('tick') >= 500" }] }, done: { end: true } } }),
    );

  it('says that a share past the newest events stays counted, and takes out a newer one as before', () => {
    const j = counting();
    j.event('start', {}, { id: 's' });
    for (let i = 0; i < LIMITS.contributions + 5; i++) j.event('tick', {}, { id: `t-${i}` });
    j.cancel('t-0');
    expect(j.notes()).toEqual(expect.arrayContaining([expect.stringMatching(/^cancel: event t-0 is not among the newest 200 events of counting; .* cannot be taken apart$/)]));
    j.cancel(`t-${LIMITS.contributions + 4}`);
    expect(j.notes()).toEqual(expect.arrayContaining([`cancel: event t-${LIMITS.contributions + 4} no longer counts in counting`]));
  });

  it('says nothing of summaries where none was made', () => {
    const j = counting();
    j.event('start', {}, { id: 's' });
    for (let i = 0; i < 5; i++) j.event('tick', {}, { id: `t-${i}` });
    j.cancel('unknown');
    expect(j.notes().filter((n) => n.includes('not among the newest'))).toEqual([]);
  });
});

describe('duplicate events', () => {
  it('an event id seen before changes nothing', () => {
    const j = journey();
    const before = j.state;
    const again = j.event('order.completed', { amount: 25 }, { id: 'ord-1' });
    expect(again.effects).toEqual([]);
    expect(again.state).toBe(before);
  });

  it('keeps a bounded list of recent ids', () => {
    const j = journey();
    for (let i = 0; i < LIMITS.seenEventIds + 100; i++) j.event('page.viewed', {}, { id: `pv-${i}` });
    expect(j.state.seenEventIds).toHaveLength(LIMITS.seenEventIds);
    expect(j.state.trace.length).toBeLessThanOrEqual(50);
  });
});
