import type { RunAction, StepOptions } from '../../src/domain/machine';
import type { RewardAction } from '../../src/domain/rewards';
import { COLLIDING_USERS, collidingKeySteps } from '../../src/domain/testing/campaigns';
import { compiled, TestJourney } from '../../src/domain/testing/journey';
import { startLedger, type LedgerFixture } from './ledger-fixture';

/**
 * Issue 11, item 5: user `a:1` at step `x` and user `a` at step `1:x` once
 * shared an idempotency key, and the ledger gave the second user the first
 * one's reward. The keys come from the real machine, the rewards from the real ledger.
 */
describe('idempotency keys that used to collide', () => {
  let f: LedgerFixture;
  beforeAll(async () => {
    f = await startLedger();
  });
  afterAll(async () => f?.stop());

  const plan = compiled(collidingKeySteps());

  /** The reward actions a user's journey starts on its first event. */
  function rewardActions(userId: string, options?: StepOptions): RunAction[] {
    const j = new TestJourney(plan, { userId, stepOptions: options });
    j.event('order.completed', {}, { id: `ord-${userId}` });
    return j.all('runAction');
  }

  async function issueAll(options?: StepOptions) {
    const actions = COLLIDING_USERS.flatMap((userId) => rewardActions(userId, options).map((a) => ({ userId, a })));
    const results = [];
    for (const { userId, a } of actions) {
      const r = await f.activities.issueReward({
        idempotencyKey: a.idempotencyKey,
        campaignKey: plan.key,
        campaignVersion: 1,
        userId,
        stepId: a.stepId,
        causedBy: a.causedBy,
        action: a.action as RewardAction,
      });
      if (r.outcome !== 'issued') throw new Error(`expected issued, got ${JSON.stringify(r)}`);
      results.push({ userId, stepId: a.stepId, reward: await f.rewards.find(r.reward.id) });
    }
    return results;
  }

  it('every (user, step) pair gets its own reward, for its own user', async () => {
    const issued = await issueAll();
    expect(issued).toHaveLength(4);
    expect(new Set(issued.map((i) => i.reward?.id)).size).toBe(4);
    for (const { userId, stepId, reward } of issued) expect(reward).toMatchObject({ userId, stepId });
    const totals = await f.ds.query(`select user_id, count(*)::int as n from rewards where campaign_key = $1 group by user_id order by user_id`, [plan.key]);
    expect(totals).toEqual([
      { user_id: 'a', n: 2 },
      { user_id: 'a:1', n: 2 },
    ]);
  });
});
