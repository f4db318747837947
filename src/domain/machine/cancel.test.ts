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

  it('while the reward is held for an operator, released by the cancel: never issued, it reads notIssued, and nothing is reclaimed', () => {
    for (const cancelReleasesHeld of [true, false]) {
      const j = new TestJourney(compiled(spendAndPost()), { user: { level: 2 }, stepOptions: { cancelReleasesHeld } });
      j.event('order.completed', { amount: 25 }, { id: 'ord-1' });
      for (let i = 0; i < 10; i++) j.event('post.created', {}, { id: `post-${i}` });
      const reward = j.lastEffects('runAction')[0];
      j.cancel('ord-1');
      // The workflow releases the held step: its outcome comes back skipped.
      j.outcome(reward.stepId, 'skipped', { stopped: 'its causing event ord-1 was cancelled' });
      expect(j.lastEffects('reclaimRewards')).toEqual([]);
      // Journeys from before patch cancel-releases-held-rewards kept reading reclaimed.
      expect({ cancelReleasesHeld, status: j.state.rewards[0].status }).toEqual({ cancelReleasesHeld, status: cancelReleasesHeld ? 'notIssued' : 'reclaimed' });
    }
  });

  it('a step that kept the coupon the user holds (alreadyHolding) issued nothing: notIssued, and a cancel reclaims nothing for it', () => {
    for (const alreadyHoldingIsNoReward of [true, false]) {
      // Cancelled after the outcome, and while the step was still running.
      for (const cancelFirst of [false, true]) {
        const j = new TestJourney(compiled(spendAndPost()), { user: { level: 2 }, stepOptions: { alreadyHoldingIsNoReward } });
        j.event('order.completed', { amount: 25 }, { id: 'ord-1' });
        for (let i = 0; i < 10; i++) j.event('post.created', {}, { id: `post-${i}` });
        const reward = j.lastEffects('runAction')[0];
        if (cancelFirst) j.cancel('ord-1');
        // rewardStepOutcome's answer for an unlessHolding step when the user still holds a coupon of the pool.
        j.outcome(reward.stepId, 'succeeded', { alreadyHolding: 'r-held' });
        if (!cancelFirst) j.cancel('ord-1');
        const reclaimed = j.all('reclaimRewards');
        // Journeys from before patch already-holding-is-no-reward marked it reclaimed and asked the ledger for a key it never held.
        expect({ alreadyHoldingIsNoReward, cancelFirst, status: j.state.rewards[0].status, reclaims: reclaimed.length > 0 }).toEqual({
          alreadyHoldingIsNoReward,
          cancelFirst,
          status: alreadyHoldingIsNoReward ? 'notIssued' : 'reclaimed',
          reclaims: !alreadyHoldingIsNoReward || cancelFirst,
        });
      }
    }
  });

  it("the cancel's reason goes with the reclaim, also with the one made once a reward under way is issued", () => {
    for (const cancelReleasesHeld of [true, false]) {
      const j = new TestJourney(compiled(spendAndPost()), { user: { level: 2 }, stepOptions: { cancelReleasesHeld } });
      j.event('order.completed', { amount: 25 }, { id: 'ord-1' });
      for (let i = 0; i < 10; i++) j.event('post.created', {}, { id: `post-${i}` });
      const reward = j.lastEffects('runAction')[0];
      j.cancel('ord-1', 'refund 7781');
      const said = cancelReleasesHeld ? { reason: 'refund 7781' } : {};
      expect(j.lastEffects('reclaimRewards')).toEqual([{ kind: 'reclaimRewards', eventId: 'ord-1', idempotencyKeys: [reward.idempotencyKey], ...said }]);
      j.outcome(reward.stepId, 'succeeded');
      expect(j.lastEffects('reclaimRewards')).toEqual([{ kind: 'reclaimRewards', eventId: 'ord-1', idempotencyKeys: [reward.idempotencyKey], ...said }]);
    }
  });

  it('a cancelled event that arrives late is ignored', () => {
    const j = journey();
    j.cancel('ord-9');
    j.event('order.completed', { amount: 5 }, { id: 'ord-9' });
    expect(j.last.effects).toEqual([]);
    expect(j.state.paths[0].window["count('order.completed')"]).toHaveLength(1);
  });
});

describe('cancelling the cause of steps not yet started', () => {
  // A webhook first, then a message and a reward: the later two wait for the webhook.
  const chained = (stepOptions = {}) => {
    const j = new TestJourney(
      compiled({
        key: 'chain',
        name: 'chain',
        entry: { on: 'order.completed' },
        initial: 'thanking',
        states: {
          thanking: {
            actions: {
              strategy: 'serial',
              steps: [
                { type: 'webhook', url: 'https://crm.example.com/hook', body: {} },
                { type: 'message', channel: 'push', template: 'thanks' },
                { type: 'points', amount: 10 },
              ],
            },
            transitions: [{ to: 'done', after: 'PT1M' }],
          },
          done: { end: true },
        },
      }),
      { stepOptions },
    );
    j.event('order.completed', {}, { id: 'ord-1' });
    return j;
  };

  it('skips every kind of step, messages and webhooks too, and says why', () => {
    const j = chained();
    const webhook = j.lastEffects('runAction')[0];
    j.cancel('ord-1');
    j.outcome(webhook.stepId, 'succeeded');
    expect(j.lastEffects('runAction')).toEqual([]);
    const { steps } = j.state.paths[0];
    expect(Object.keys(steps).filter((id) => steps[id] === 'skipped')).toHaveLength(2);
    expect(steps[webhook.stepId]).toBe('succeeded');
    expect(j.notes()).toEqual(expect.arrayContaining([expect.stringMatching(/skipped: caused by cancelled event ord-1$/)]));
  });

  it('an outcome that comes after an exit still says what happened to the step', () => {
    const j = chained();
    const webhook = j.lastEffects('runAction')[0];
    j.exit('user left');
    j.outcome(webhook.stepId, 'skipped', { stopped: 'its path ended' });
    expect(j.notes()).toEqual([`ignored: outcome skipped for ${webhook.stepId} {"stopped":"its path ended"}: the step is not running (already reported, or the path moved on)`]);
  });

  it('journeys from before patch cancel-stops-effects still send the message', () => {
    const j = chained({ cancelReachesAll: false });
    const webhook = j.lastEffects('runAction')[0];
    j.cancel('ord-1');
    j.outcome(webhook.stepId, 'succeeded');
    expect(j.lastEffects('runAction').map((e) => e.action.type)).toEqual(['message']);
  });
});

describe('a cancel that changes an aggregate checks `when` at once', () => {
  // Approved once an order came in without a chargeback: a chargeback cancelled (a bank error) approves at once.
  const approval = (stepOptions = {}) => {
    const j = new TestJourney(
      compiled({
        key: 'approval',
        name: 'approval',
        entry: { on: 'signup' },
        initial: 'pending',
        states: {
          pending: { transitions: [{ to: 'approved', when: "count('order.completed') >= 1 && count('chargeback') < 1" }] },
          approved: { end: true },
        },
      }),
      { stepOptions },
    );
    j.event('signup', {}, { id: 's' });
    j.event('chargeback', {}, { id: 'c1' });
    j.event('order.completed', {}, { id: 'o1' });
    return j;
  };

  it('takes the transition the cancel made true, without waiting for another event', () => {
    const j = approval();
    expect(j.currentStates()).toEqual(['pending']);
    j.cancel('c1');
    expect(j.state.status).toBe('ended');
    expect(j.state.finished.map((f) => f.state)).toEqual(['approved']);
  });

  it('says why nothing fired when the `when` still does not hold', () => {
    const j = approval();
    j.event('chargeback', {}, { id: 'c2' });
    j.cancel('c1');
    expect(j.currentStates()).toEqual(['pending']);
    expect(j.notes()).toEqual(expect.arrayContaining(['noTransition: pending: no transition fired']));
  });

  it('journeys from before patch cancel-stops-effects wait for the next event', () => {
    const j = approval({ cancelReachesAll: false });
    j.cancel('c1');
    expect(j.currentStates()).toEqual(['pending']);
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

describe('a cancel does not undo an entry', () => {
  it('the path its event started goes on without it, and the entry still counts towards maxEntries', () => {
    const j = journey();
    j.cancel('ord-1');
    expect(j.currentStates()).toEqual(['collecting']);
    expect(j.state.entries).toBe(1);
    // The path ends (its waits run out), and with it the journey: maxEntries 1 allows no further entry.
    j.wait(4 * 86_400).fireDueTimers();
    j.succeedAll();
    j.wait(8 * 86_400).fireDueTimers();
    expect(j.state.paths).toEqual([]);
    expect(j.state.entries).toBe(1);
    expect(j.state.status).toBe('ended');
    expect(j.state.endReason).toBe('completed: no further entry allowed (maxEntries)');
    j.event('order.completed', { amount: 30 }, { id: 'ord-2' });
    expect(j.state.entries).toBe(1);
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

describe('a branch that reads aggregates names the events that counted (patch aggregate-branch-causes)', () => {
  // A month-end tally: the orders of the month decide the tier once the timer (or the closing event) fires.
  const tally = (leave: object, options: { snapshotCauses?: () => boolean } = {}) => {
    const j = new TestJourney(
      compiled({
        key: 'tally',
        name: 'Tally',
        entry: { on: 'signup' },
        initial: 'collecting',
        states: {
          collecting: { transitions: [{ to: 'tally', ...leave }] },
          tally: { transitions: [{ to: 'gold', if: "sum('order.completed', 'amount') >= 100" }, { to: 'silver' }] },
          gold: { actions: { steps: [{ id: 'gold-points', type: 'points', amount: 500 }] }, end: true },
          silver: { actions: { steps: [{ id: 'silver-points', type: 'points', amount: 50 }] }, end: true },
        },
      }),
      { stepOptions: options },
    );
    j.event('signup', {}, { id: 's-1' });
    return j;
  };
  const orders = (j: TestJourney, amounts: number[]) => amounts.forEach((amount, i) => j.event('order.completed', { amount }, { id: `o-${i + 1}` }));

  it('after a timer: the reward records the orders, and cancelling one reclaims it; the fallback names none', () => {
    const j = tally({ after: 'P30D' });
    orders(j, [60, 50]);
    j.wait(30 * 86_400).fireDueTimers();
    const reward = j.all('runAction')[0];
    expect(reward.stepId).toBe('gold-points');
    expect(reward.causedBy).toEqual(['s-1', 'o-2', 'o-1']);
    expect(j.state.rewards[0].causedBy).toEqual(['s-1', 'o-2', 'o-1']);
    j.outcome('gold-points', 'succeeded', { rewardId: 'r-1' });
    j.cancel('o-1');
    expect(j.lastEffects('reclaimRewards')).toEqual([expect.objectContaining({ eventId: 'o-1', idempotencyKeys: [reward.idempotencyKey] })]);
    // The fallback branch reads no aggregate and names none: an order's refund leaves its reward.
    const low = tally({ after: 'P30D' });
    orders(low, [30, 20]);
    low.wait(30 * 86_400).fireDueTimers();
    expect(low.all('runAction').map((a) => [a.stepId, a.causedBy])).toEqual([['silver-points', ['s-1']]]);
    low.outcome('silver-points', 'succeeded');
    low.cancel('o-1');
    expect(low.lastEffects('reclaimRewards')).toEqual([]);
  });

  it('after an `on` with no condition, as after an `on … if` reading the same sum', () => {
    for (const leave of [{ on: 'month.closed' }, { on: 'month.closed', if: "sum('order.completed', 'amount') >= 0" }]) {
      const j = tally(leave);
      orders(j, [60, 50]);
      j.event('month.closed', {}, { id: 'm-1' });
      expect(j.all('runAction')[0].causedBy).toEqual(expect.arrayContaining(['m-1', 'o-1', 'o-2']));
    }
  });

  it('a cancel before the reward starts skips it, as for any cause', () => {
    const j = new TestJourney(
      compiled({
        key: 'tally',
        name: 'Tally',
        entry: { on: 'signup' },
        initial: 'collecting',
        states: {
          collecting: { transitions: [{ to: 'tally', after: 'P30D' }] },
          tally: { transitions: [{ to: 'gold', if: "count('order.completed') >= 2" }, { to: 'done' }] },
          gold: { actions: { strategy: 'serial', steps: [{ id: 'mail', type: 'message', channel: 'push', template: 'gold' }, { id: 'gold-points', type: 'points', amount: 500 }] }, end: true },
          done: { end: true },
        },
      }),
    );
    j.event('signup', {}, { id: 's-1' });
    orders(j, [60, 50]);
    j.wait(30 * 86_400).fireDueTimers();
    j.cancel('o-1');
    j.outcome('mail', 'succeeded');
    expect(j.all('runAction').map((a) => a.stepId)).toEqual(['mail']);
    expect(j.notes()).toContainEqual('action: gold-points skipped: caused by cancelled event o-1');
  });

  it('reaches a branch past moves on arrival, and keeps to LIMITS.causedBy', () => {
    const j = new TestJourney(
      compiled({
        key: 'chain',
        name: 'chain',
        entry: { on: 'signup' },
        initial: 'collecting',
        states: {
          collecting: { transitions: [{ to: 'pause', after: 'P1D' }] },
          pause: { transitions: [{ to: 'check' }] },
          check: { transitions: [{ to: 'gold', if: "count('visit') >= 3" }, { to: 'done' }] },
          gold: { actions: { steps: [{ id: 'pts', type: 'points', amount: 5 }] }, end: true },
          done: { end: true },
        },
      }),
    );
    j.event('signup', {}, { id: 's-1' });
    for (let i = 0; i < LIMITS.causedBy + 20; i++) j.event('visit', {}, { id: `v-${i}` });
    j.wait(86_400).fireDueTimers();
    const causes = j.all('runAction')[0].causedBy;
    expect(causes).toHaveLength(LIMITS.causedBy);
    // The newest first, after the path's own cause.
    expect(causes.slice(0, 3)).toEqual(['s-1', `v-${LIMITS.causedBy + 19}`, `v-${LIMITS.causedBy + 18}`]);
    expect(causes).not.toContain('v-0');
  });

  it('journeys from before the patch name none, and the patch is asked only where there are events to carry', () => {
    const asked: boolean[] = [];
    const before = tally({ after: 'P30D' }, { snapshotCauses: () => (asked.push(false), false) });
    before.wait(30 * 86_400).fireDueTimers();
    // No order counted: nothing to carry, nothing asked.
    expect(asked).toEqual([]);
    const old = tally({ after: 'P30D' }, { snapshotCauses: () => (asked.push(false), false) });
    orders(old, [60, 50]);
    old.wait(30 * 86_400).fireDueTimers();
    expect(asked).toEqual([false]);
    expect(old.all('runAction')[0].causedBy).toEqual(['s-1']);
    old.outcome('gold-points', 'succeeded');
    old.cancel('o-1');
    expect(old.lastEffects('reclaimRewards')).toEqual([]);
  });
});
