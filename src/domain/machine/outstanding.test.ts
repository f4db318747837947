import { spendAndPost } from '../testing/campaigns';
import { compiled, TestJourney } from '../testing/journey';
import type { ReclaimRewards } from './effects';
import { OutstandingEffects } from './outstanding';

/** Two reclaims for one event: the cancel's, and the one for the reward that was being issued when the cancel came. */
function twoReclaimsForOneEvent(): [ReclaimRewards, ReclaimRewards] {
  const j = new TestJourney(compiled(spendAndPost()), { user: { level: 2 } });
  j.event('order.completed', { amount: 25 }, { id: 'ord-1' });
  for (let i = 0; i < 10; i++) j.event('post.created', {}, { id: `post-${i}` });
  const reward = j.lastEffects('runAction')[0];
  j.cancel('ord-1');
  const [first] = j.lastEffects('reclaimRewards');
  j.outcome(reward.stepId, 'succeeded', { rewardId: 'r-1' });
  const [second] = j.lastEffects('reclaimRewards');
  return [first, second];
}

describe('outstanding effects (issue 11)', () => {
  it('the machine does ask for two reclaims of the same event', () => {
    const [first, second] = twoReclaimsForOneEvent();
    expect(first.eventId).toBe('ord-1');
    expect(second.eventId).toBe('ord-1');
  });

  it('two reclaims for the same event are both awaited and both carried', () => {
    const [first, second] = twoReclaimsForOneEvent();
    const outstanding = new OutstandingEffects<ReclaimRewards>();
    const a = outstanding.add(first);
    const b = outstanding.add(second);
    // Both still running: continue-as-new carries both.
    expect(outstanding.values()).toEqual([first, second]);
    outstanding.settle(a);
    // The first one done: the journey still awaits the second.
    expect(outstanding.size).toBe(1);
    expect(outstanding.values()).toEqual([second]);
    outstanding.settle(b);
    expect(outstanding.size).toBe(0);
  });

  it('journeys from before patch distinct-reclaim-effects keep their identity keys (and their overwrite)', () => {
    const [first, second] = twoReclaimsForOneEvent();
    const legacy = new OutstandingEffects<ReclaimRewards>((e) => `reclaim:${e.eventId}`);
    legacy.add(first);
    legacy.add(second);
    expect(legacy.size).toBe(1);
  });
});
