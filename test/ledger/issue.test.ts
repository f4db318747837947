import { ApplicationFailure } from '@temporalio/common';
import type { RewardIssue as IssueRewardResult } from '../../src/domain/rewards';
import { PoolTopUpsRepository } from '../../src/store/repositories/pool-top-ups.repository';
import { count, issueInput, poolUsed, startLedger, type LedgerFixture } from './ledger-fixture';

describe('issueReward', () => {
  let f: LedgerFixture;
  beforeAll(async () => {
    f = await startLedger();
  });
  afterAll(async () => f?.stop());

  const issued = (rs: IssueRewardResult[]) => rs.filter((r) => r.outcome === 'issued');

  it('100 concurrent issues on a budget of 10 give exactly 10 rewards and 90 exhausted outcomes', async () => {
    await f.createPool({ key: 'pts-10', kind: 'points', budget: 10 });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => f.activities.issueReward(issueInput({ type: 'points', amount: 1, pool: 'pts-10' }, { userId: `u-${i}` }))),
    );
    expect(issued(results)).toHaveLength(10);
    expect(results.filter((r) => r.outcome === 'exhausted')).toEqual(Array.from({ length: 90 }, () => ({ outcome: 'exhausted', reason: 'budget' })));
    expect(await poolUsed(f.ds, 'pts-10')).toBe(10);
    expect(await count(f.ds, `select count(*) from rewards where pool_key = 'pts-10'`)).toBe(10);
    expect(await count(f.ds, `select sum(e.delta) from points_entries e join rewards r on r.id = e.reward_id where r.pool_key = 'pts-10'`)).toBe(10);
    expect((await f.pools.find('pts-10'))?.left).toBe(0);
  });

  it('a large budget spread over many issues at once is spent exactly, never overdrawn', async () => {
    await f.createPool({ key: 'pts-1000', kind: 'points', budget: 1000 });
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => f.activities.issueReward(issueInput({ type: 'points', amount: 10, pool: 'pts-1000' }, { userId: `u-${i}` }))),
    );
    expect(issued(results)).toHaveLength(100);
    expect(results.filter((r) => r.outcome === 'exhausted')).toHaveLength(200);
    expect(await poolUsed(f.ds, 'pts-1000')).toBe(1000);
    expect(await f.pools.find('pts-1000')).toMatchObject({ budget: 1000, used: 1000, left: 0 });
  });

  it('a budget is spent in amounts: an issue that would overdraw it is exhausted, a smaller one still fits', async () => {
    await f.createPool({ key: 'cash', kind: 'credit', budget: 25, currency: 'EUR' });
    const a = await f.activities.issueReward(issueInput({ type: 'credit', amount: 20, currency: 'EUR', pool: 'cash' }));
    const b = await f.activities.issueReward(issueInput({ type: 'credit', amount: 10, currency: 'EUR', pool: 'cash' }));
    const c = await f.activities.issueReward(issueInput({ type: 'credit', amount: 5, currency: 'EUR', pool: 'cash' }));
    expect([a.outcome, b, c.outcome]).toEqual(['issued', { outcome: 'exhausted', reason: 'budget' }, 'issued']);
    expect(await poolUsed(f.ds, 'cash')).toBe(25);
  });

  it('what a pool has left is exact in decimals (10 less 14 x 0.7 is 0.2, not 0.1999999999999993)', async () => {
    await f.createPool({ key: 'cash-dec', kind: 'credit', budget: 10, currency: 'EUR' });
    for (let i = 0; i < 14; i++) await f.activities.issueReward(issueInput({ type: 'credit', amount: 0.7, currency: 'EUR', pool: 'cash-dec' }, { userId: `d-${i}` }));
    expect(await f.pools.find('cash-dec')).toMatchObject({ budget: 10, used: 9.8, left: 0.2 });
    expect((await f.pools.list(1000)).pools.find((p) => p.key === 'cash-dec')).toMatchObject({ left: 0.2 });
  });

  it('the same issue 50 times at once gives one reward and spends the budget once', async () => {
    await f.createPool({ key: 'pts-once', kind: 'points', budget: 1000 });
    const input = issueInput({ type: 'points', amount: 70, pool: 'pts-once' }, { userId: 'u-once' });
    const results = await Promise.all(Array.from({ length: 50 }, () => f.activities.issueReward(input)));
    const ids = new Set(results.map((r) => (r.outcome === 'issued' ? r.reward.id : r.outcome)));
    expect([...ids]).toHaveLength(1);
    // The activity answers with ids only; the row holds the rest.
    expect(results[0]).toEqual({ outcome: 'issued', reward: { id: expect.any(String), code: null } });
    expect(await f.rewards.findByKey(input.idempotencyKey)).toMatchObject({ id: [...ids][0], amount: 70, userId: 'u-once', status: 'issued', causedBy: ['ord-1'] });
    expect(await poolUsed(f.ds, 'pts-once')).toBe(70);
    expect(await count(f.ds, `select count(*) from rewards where idempotency_key = $1`, [input.idempotencyKey])).toBe(1);
    expect(await count(f.ds, `select count(*) from points_entries where user_id = 'u-once'`)).toBe(1);
  });

  it('an activity killed between commit and completion, run again, issues nothing twice', async () => {
    await f.createPool({ key: 'cpn-kill', kind: 'coupon', codes: ['K-1', 'K-2', 'K-3'] });
    const input = issueInput({ type: 'coupon', pool: 'cpn-kill' }, { userId: 'u-kill' });
    // The first attempt commits; its result never reaches Temporal (the worker died), so Temporal runs it again.
    const lost = await f.activities.issueReward(input);
    const retried = await f.activities.issueReward(input);
    expect(retried).toEqual(lost);
    expect(await poolUsed(f.ds, 'cpn-kill')).toBe(1);
    expect((await f.pools.find('cpn-kill'))?.codes).toEqual({ total: 3, issued: 1, left: 2, voided: 0 });
    expect(await count(f.ds, `select count(*) from coupon_codes where pool_key = 'cpn-kill' and state = 'issued'`)).toBe(1);
  });

  describe("a key's first answer other than a reward is final (review 49, finding 2): an attempt still on its way issues nothing after it", () => {
    const topUps = () => new PoolTopUpsRepository(f.ds);
    const rewardsOf = (key: string) => count(f.ds, `select count(*) from rewards where idempotency_key = $1`, [key]);

    it('exhausted for the budget stays exhausted after a top-up; a new key is issued from it', async () => {
      await f.createPool({ key: 'pts-final', kind: 'points', budget: 1 });
      expect((await f.activities.issueReward(issueInput({ type: 'points', amount: 1, pool: 'pts-final' }, { userId: 'u-first' }))).outcome).toBe('issued');
      const late = issueInput({ type: 'points', amount: 1, pool: 'pts-final' }, { userId: 'u-late' });
      expect(await f.activities.issueReward(late)).toEqual({ outcome: 'exhausted', reason: 'budget' });
      expect(await topUps().topUp('pts-final', { id: 't', requestHash: 'h', budget: 5 }, () => [])).toMatchObject({ outcome: 'applied' });
      // The journey went on from `exhausted`; an earlier attempt of the same key reaching PostgreSQL now answers the same.
      expect(await f.activities.issueReward(late)).toEqual({ outcome: 'exhausted', reason: 'budget' });
      expect(await rewardsOf(late.idempotencyKey)).toBe(0);
      expect(await poolUsed(f.ds, 'pts-final')).toBe(1);
      expect((await f.activities.issueReward(issueInput({ type: 'points', amount: 1, pool: 'pts-final' }, { userId: 'u-late' }))).outcome).toBe('issued');
    });

    it('no code left stays so after codes are added, and the per-user limit after the held reward is reclaimed', async () => {
      await f.createPool({ key: 'cpn-final', kind: 'coupon', codes: ['F-1'] });
      expect((await f.activities.issueReward(issueInput({ type: 'coupon', pool: 'cpn-final' }, { userId: 'u-f1' }))).outcome).toBe('issued');
      const noCode = issueInput({ type: 'coupon', pool: 'cpn-final' }, { userId: 'u-f2' });
      expect(await f.activities.issueReward(noCode)).toEqual({ outcome: 'exhausted', reason: 'noCodes' });
      expect(await topUps().topUp('cpn-final', { id: 't', requestHash: 'h', codes: ['F-2'] }, () => [])).toMatchObject({ outcome: 'applied' });
      expect(await f.activities.issueReward(noCode)).toEqual({ outcome: 'exhausted', reason: 'noCodes' });
      expect(await rewardsOf(noCode.idempotencyKey)).toBe(0);

      await f.createPool({ key: 'pts-final-limit', kind: 'points', perUserLimit: 1 });
      const held = issueInput({ type: 'points', amount: 2, pool: 'pts-final-limit' }, { userId: 'u-f3' });
      expect((await f.activities.issueReward(held)).outcome).toBe('issued');
      const second = issueInput({ type: 'points', amount: 2, pool: 'pts-final-limit' }, { userId: 'u-f3' });
      expect(await f.activities.issueReward(second)).toEqual({ outcome: 'exhausted', reason: 'perUserLimit' });
      await f.activities.reclaimRewards({ idempotencyKeys: [held.idempotencyKey], eventId: 'ord-1', reason: 'refund' });
      expect(await f.activities.issueReward(second)).toEqual({ outcome: 'exhausted', reason: 'perUserLimit' });
      expect(await rewardsOf(second.idempotencyKey)).toBe(0);
    });

    it('alreadyHolding stays so, with the held coupon, after that coupon is used', async () => {
      await f.createPool({ key: 'cpn-final-hold', kind: 'coupon', codes: ['FH-1', 'FH-2'] });
      const first = await f.activities.issueReward(issueInput({ type: 'coupon', pool: 'cpn-final-hold' }, { userId: 'u-fh' }));
      if (first.outcome !== 'issued') throw new Error(`not issued: ${JSON.stringify(first)}`);
      const unless = issueInput({ type: 'coupon', pool: 'cpn-final-hold', unlessHolding: true }, { userId: 'u-fh' });
      expect(await f.activities.issueReward(unless)).toEqual({ ...first, outcome: 'alreadyHolding' });
      expect(await f.rewards.redeem(first.reward.id)).toMatchObject({ kind: 'redeemed' });
      expect(await f.activities.issueReward(unless)).toEqual({ ...first, outcome: 'alreadyHolding' });
      expect(await rewardsOf(unless.idempotencyKey)).toBe(0);
    });

    it('a refusal is not kept: the same key, asked again once the pool exists, is issued', async () => {
      const input = issueInput({ type: 'points', amount: 3, pool: 'pts-created-late' }, { userId: 'u-fixed' });
      await expect(f.activities.issueReward(input)).rejects.toMatchObject({ type: 'UnknownPool', nonRetryable: true });
      await f.createPool({ key: 'pts-created-late', kind: 'points', budget: 10 });
      expect((await f.activities.issueReward(input)).outcome).toBe('issued');
      expect(await rewardsOf(input.idempotencyKey)).toBe(1);
    });
  });

  it('an attempt that dies before commit leaves nothing behind and its retry issues once', async () => {
    await f.createPool({ key: 'pts-abort', kind: 'points', budget: 100 });
    const input = issueInput({ type: 'points', amount: 30, pool: 'pts-abort' }, { userId: 'u-abort' });
    // The same function inside a transaction that is rolled back: the worker lost its connection before commit. (30 fits in no shard of 100/32: straight to the sweep.)
    const runner = f.ds.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`select * from kairos_issue_reward($1::jsonb, true)`, [
      JSON.stringify({ idempotencyKey: input.idempotencyKey, campaignKey: 'spend', campaignVersion: 1, userId: 'u-abort', stepId: 's', causedBy: [], kind: 'points', amount: 30, currency: null, pool: 'pts-abort', unlessHolding: false }),
    ]);
    await runner.rollbackTransaction();
    await runner.release();
    expect(await poolUsed(f.ds, 'pts-abort')).toBe(0);
    const retried = await f.activities.issueReward(input);
    expect(retried.outcome).toBe('issued');
    expect(await poolUsed(f.ds, 'pts-abort')).toBe(30);
  });

  it('per-user limit: a user gets at most perUserLimit rewards from a pool, even all at once', async () => {
    await f.createPool({ key: 'pts-limit', kind: 'points', perUserLimit: 2 });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => f.activities.issueReward(issueInput({ type: 'points', amount: 5, pool: 'pts-limit' }, { userId: 'u-greedy' }))),
    );
    expect(issued(results)).toHaveLength(2);
    expect(results.filter((r) => r.outcome === 'exhausted').map((r) => r.outcome === 'exhausted' && r.reason)).toEqual(Array(4).fill('perUserLimit'));
    const other = await f.activities.issueReward(issueInput({ type: 'points', amount: 5, pool: 'pts-limit' }, { userId: 'u-other' }));
    expect(other.outcome).toBe('issued');
  });

  it('a reclaimed reward gives its per-user slot back', async () => {
    await f.createPool({ key: 'pts-slot', kind: 'points', perUserLimit: 1 });
    const first = issueInput({ type: 'points', amount: 5, pool: 'pts-slot' }, { userId: 'u-slot' });
    expect((await f.activities.issueReward(first)).outcome).toBe('issued');
    expect(await f.activities.issueReward(issueInput({ type: 'points', amount: 5, pool: 'pts-slot' }, { userId: 'u-slot' }))).toEqual({
      outcome: 'exhausted',
      reason: 'perUserLimit',
    });
    await f.activities.reclaimRewards({ idempotencyKeys: [first.idempotencyKey], eventId: 'ord-1', reason: 'refund' });
    expect((await f.activities.issueReward(issueInput({ type: 'points', amount: 5, pool: 'pts-slot' }, { userId: 'u-slot' }))).outcome).toBe('issued');
  });

  it('unlessHolding reports the unused, unexpired coupon the user holds instead of issuing another', async () => {
    await f.createPool({ key: 'cpn-hold', kind: 'coupon', codes: ['H-1', 'H-2', 'H-3', 'H-4'] });
    const first = await f.activities.issueReward(issueInput({ type: 'coupon', pool: 'cpn-hold' }, { userId: 'u-hold' }));
    expect(first).toMatchObject({ outcome: 'issued', reward: { code: 'H-1' } });
    const again = await f.activities.issueReward(issueInput({ type: 'coupon', pool: 'cpn-hold', unlessHolding: true }, { userId: 'u-hold' }));
    expect(again).toEqual({ ...first, outcome: 'alreadyHolding' });
    // Without the flag a second code is issued; another user is not affected by u-hold's coupon.
    expect(await f.activities.issueReward(issueInput({ type: 'coupon', pool: 'cpn-hold' }, { userId: 'u-hold' }))).toMatchObject({ outcome: 'issued', reward: { code: 'H-2' } });
    expect(await f.activities.issueReward(issueInput({ type: 'coupon', pool: 'cpn-hold', unlessHolding: true }, { userId: 'u-else' }))).toMatchObject({
      outcome: 'issued',
      reward: { code: 'H-3' },
    });
    expect(await poolUsed(f.ds, 'cpn-hold')).toBe(3);
  });

  it('unlessHolding issues again once the held coupons are used or expired', async () => {
    await f.createPool({ key: 'cpn-expire', kind: 'coupon', codes: ['E-1', 'E-2', 'E-3'], validFor: 'PT1S' });
    const first = await f.activities.issueReward(issueInput({ type: 'coupon', pool: 'cpn-expire' }, { userId: 'u-exp' }));
    if (first.outcome !== 'issued') throw new Error('not issued');
    const firstRow = await f.rewards.find(first.reward.id);
    expect(new Date(firstRow!.expiresAt!).getTime() - new Date(firstRow!.createdAt).getTime()).toBe(1000);
    await new Promise((r) => setTimeout(r, 1100));
    const afterExpiry = await f.activities.issueReward(issueInput({ type: 'coupon', pool: 'cpn-expire', unlessHolding: true }, { userId: 'u-exp' }));
    expect(afterExpiry).toMatchObject({ outcome: 'issued', reward: { code: 'E-2' } });

    await f.createPool({ key: 'cpn-used', kind: 'coupon', codes: ['U-1', 'U-2'] });
    const held = await f.activities.issueReward(issueInput({ type: 'coupon', pool: 'cpn-used' }, { userId: 'u-used' }));
    if (held.outcome !== 'issued') throw new Error('not issued');
    await f.rewards.redeem(held.reward.id);
    const afterUse = await f.activities.issueReward(issueInput({ type: 'coupon', pool: 'cpn-used', unlessHolding: true }, { userId: 'u-used' }));
    expect(afterUse).toMatchObject({ outcome: 'issued', reward: { code: 'U-2' } });
  });

  it('points without a pool have no budget; coupons and pooled rewards need a pool of their kind', async () => {
    const unpooled = await f.activities.issueReward(issueInput({ type: 'points', amount: 1e6, pool: null }));
    if (unpooled.outcome !== 'issued') throw new Error(`not issued: ${JSON.stringify(unpooled)}`);
    expect(await f.rewards.find(unpooled.reward.id)).toMatchObject({ amount: 1e6, pool: null });
    await f.createPool({ key: 'pts-kind', kind: 'points' });
    await f.createPool({ key: 'usd', kind: 'credit', currency: 'USD' });
    const failures = [
      [{ type: 'coupon', pool: 'nowhere' }, 'UnknownPool'],
      [{ type: 'points', amount: 1, pool: 'nowhere' }, 'UnknownPool'],
      [{ type: 'coupon', pool: 'pts-kind' }, 'WrongPoolKind'],
      [{ type: 'credit', amount: 1, currency: 'EUR', pool: 'usd' }, 'WrongCurrency'],
      [{ type: 'points', amount: -5 }, 'InvalidAmount'],
      [{ type: 'points', amount: Number.NaN }, 'InvalidAmount'],
      [{ type: 'points', amount: 1e12 + 1 }, 'InvalidAmount'],
      [{ type: 'credit', amount: 1e300, currency: 'EUR' }, 'InvalidAmount'],
    ] as const;
    const before = await count(f.ds, 'select count(*) from rewards');
    for (const [action, type] of failures) {
      const err = await f.activities.issueReward(issueInput(action)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect(err).toMatchObject({ type, nonRetryable: true });
    }
    expect(await count(f.ds, 'select count(*) from rewards')).toBe(before);
  });
});
