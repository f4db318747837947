import type { Reward } from '../../src/store/ledger/reward';
import { RewardCausesRepository } from '../../src/store/repositories/reward-causes.repository';
import { statementsOf } from '../support/statement-spy';
import { eventually } from '../support/system-under-test';
import { count, issueInput, poolUsed, startLedger, type LedgerFixture } from './ledger-fixture';

describe('reclaimRewards', () => {
  let f: LedgerFixture;
  beforeAll(async () => {
    f = await startLedger();
    await f.createPool({ key: 'pts', kind: 'points', budget: 1000 });
    await f.createPool({ key: 'eur', kind: 'credit', budget: 100, currency: 'EUR' });
    await f.createPool({ key: 'cpn', kind: 'coupon', budget: 5, codes: ['R-1', 'R-2', 'R-3', 'R-4', 'R-5'] });
  });
  afterAll(async () => f?.stop());

  const issue = async (...args: Parameters<typeof issueInput>) => {
    const input = issueInput(...args);
    const r = await f.activities.issueReward(input);
    if (r.outcome !== 'issued') throw new Error(`expected issued, got ${JSON.stringify(r)}`);
    // The activity hands the journey ids only; the row is the ledger's.
    const reward = await f.rewards.find(r.reward.id);
    expect(reward).toMatchObject({ id: r.reward.id, code: r.reward.code });
    return { key: input.idempotencyKey, reward: reward as Reward };
  };

  it('says first for one of two reclaims of a key that run at once (the second waits on the lock of the first)', async () => {
    const { key } = await issue({ type: 'points', amount: 5, pool: 'pts' }, { userId: 'u-race', causedBy: ['ord-race'] });
    const holder = f.ds.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      // Another caller's reclaim, not committed yet: it holds the key's lock.
      await holder.query(`select * from kairos_reclaim_reward($1::jsonb)`, [JSON.stringify({ idempotencyKey: key, eventId: 'ord-race', reason: null })]);
      const waiting = f.rewards.reclaim(key, 'ord-race', null);
      // Until this call waits on that lock, then let the other commit.
      await eventually(async () => {
        const [{ n }] = (await f.ds.query(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and wait_event = 'advisory' and datname = current_database()`)) as Array<{ n: number }>;
        return n > 0 ? true : undefined;
      });
      await holder.commitTransaction();
      expect(await waiting).toMatchObject({ outcome: 'reversed', first: false });
    } finally {
      await holder.release();
    }
  });

  it('issue → reclaim → reclaim leaves balances as before and the budgets restored', async () => {
    const user = 'u-refund';
    const before = await f.rewards.forUser(user);
    const usedBefore = { pts: await poolUsed(f.ds, 'pts'), eur: await poolUsed(f.ds, 'eur'), cpn: await poolUsed(f.ds, 'cpn') };
    const points = await issue({ type: 'points', amount: 120, pool: 'pts' }, { userId: user, causedBy: ['ord-9'] });
    const credit = await issue({ type: 'credit', amount: 7.5, currency: 'EUR', pool: 'eur' }, { userId: user, causedBy: ['ord-9'] });
    const coupon = await issue({ type: 'coupon', pool: 'cpn' }, { userId: user, causedBy: ['ord-9'] });
    expect((await f.rewards.forUser(user)).balances).toEqual({ points: 120, credit: { EUR: 7.5 } });

    const keys = [points.key, credit.key, coupon.key];
    const first = await f.activities.reclaimRewards({ idempotencyKeys: keys, eventId: 'ord-9', reason: 'refund' });
    const second = await f.activities.reclaimRewards({ idempotencyKeys: keys, eventId: 'ord-9', reason: 'refund' });
    expect(first.results.map((r) => r.outcome)).toEqual(['reversed', 'reversed', 'voided']);
    expect(second).toEqual(first);
    // The repository says which call took each back (what the reclaim counters count): the first, not the repeat.
    expect((await f.rewards.reclaim(points.key, 'ord-9', 'refund')).first).toBe(false);
    const late = await issue({ type: 'points', amount: 5, pool: 'pts' }, { userId: 'u-late', causedBy: ['ord-10'] });
    expect([(await f.rewards.reclaim(late.key, 'ord-10', null)).first, (await f.rewards.reclaim(late.key, 'ord-10', null)).first]).toEqual([true, false]);

    const after = await f.rewards.forUser(user);
    expect(after.balances).toEqual({ points: 0, credit: { EUR: 0 } });
    expect(before.balances).toEqual({ points: 0, credit: {} });
    expect(after.rewards.map((r) => [r.kind, r.status, r.causedBy])).toEqual([
      ['points', 'reclaimed', ['ord-9']],
      ['credit', 'reclaimed', ['ord-9']],
      ['coupon', 'reclaimed', ['ord-9']],
    ]);
    expect({ pts: await poolUsed(f.ds, 'pts'), eur: await poolUsed(f.ds, 'eur'), cpn: await poolUsed(f.ds, 'cpn') }).toEqual(usedBefore);
    // One issue and one reversal entry each: the second reclaim wrote nothing.
    expect(await count(f.ds, `select count(*) from points_entries where reward_id = $1`, [points.reward.id])).toBe(2);
    expect(await count(f.ds, `select count(*) from credit_entries where reward_id = $1`, [credit.reward.id])).toBe(2);
    // The reclaimed coupon's code is void: the next user gets another code, and the first cannot spend it.
    expect(await count(f.ds, `select count(*) from coupon_codes where code = $1 and state = 'void' and reward_id is null`, [coupon.reward.code])).toBe(1);
    const next = await issue({ type: 'coupon', pool: 'cpn' }, { userId: 'u-next' });
    expect(next.reward.code).not.toBe(coupon.reward.code);
    expect(await f.rewards.redeem(coupon.reward.id)).toMatchObject({ kind: 'conflict', reward: { status: 'reclaimed' } });
    expect((await f.pools.find('cpn'))?.codes).toEqual({ total: 5, issued: 1, left: 3, voided: 1 });
    // The pools page's list sums spend and void codes for all pools at once: each pool as its own view shows it.
    const listed = await f.pools.list(500);
    expect(listed.pools.map((p) => p.key)).toEqual(expect.arrayContaining(['pts', 'eur', 'cpn']));
    for (const pool of listed.pools) expect(pool).toEqual(await f.pools.find(pool.key));
    // What the cancel took back, once, as GET /v1/events/:id will show it.
    expect((await f.rewards.reclaimedBy('ord-9')).map((r) => [r.idempotencyKey, r.rewardId, r.outcome, r.reason])).toEqual(
      expect.arrayContaining([
        [points.key, points.reward.id, 'reversed', 'refund'],
        [credit.key, credit.reward.id, 'reversed', 'refund'],
        [coupon.key, coupon.reward.id, 'voided', 'refund'],
      ]),
    );
    expect(await f.rewards.reclaimedBy('ord-9')).toHaveLength(3);
  });

  it("lists as the event's reclaim a reward it caused whose key the cancel's release of a held step voided first (skipped:<key>), and no skip from before the cancel", async () => {
    const cancelled = (id: string) =>
      f.ds.query(`insert into events (id, type, user_id, occurred_at, cancelled_at, cancel_reason) values ($1, 'order.completed', 'u-held', now(), clock_timestamp(), 'refund')`, [id]);
    const skip = (key: string) => f.activities.reclaimRewards({ idempotencyKeys: [key], eventId: `skipped:${key}`, reason: 'step points skipped while held' });
    const held = await issue({ type: 'points', amount: 9, pool: 'pts' }, { userId: 'u-held', causedBy: ['ord-held'] });
    const other = await issue({ type: 'points', amount: 4, pool: 'pts' }, { userId: 'u-held', causedBy: ['ord-other'] });
    const earlier = await issue({ type: 'points', amount: 3, pool: 'pts' }, { userId: 'u-held', causedBy: ['ord-held'] });
    // An operator skipped one of the event's steps before anyone cancelled it: that is not the cancel's.
    await skip(earlier.key);
    await cancelled('ord-held');
    // The cancel's release voids the held step first; the cancel's own reclaim of the same key then finds it reclaimed and records nothing.
    await skip(held.key);
    await skip(other.key);
    await f.activities.reclaimRewards({ idempotencyKeys: [held.key], eventId: 'ord-held', reason: 'refund' });
    expect((await f.rewards.reclaimedBy('ord-held')).map((r) => [r.idempotencyKey, r.rewardId, r.outcome, r.reason])).toEqual([
      [held.key, held.reward.id, 'reversed', 'step points skipped while held'],
    ]);
  });

  it('a redeemed coupon is marked unreclaimable, keeps its budget and code, and says so every time', async () => {
    const coupon = await issue({ type: 'coupon', pool: 'cpn' }, { userId: 'u-used' });
    const usedBefore = await poolUsed(f.ds, 'cpn');
    expect(await f.rewards.redeem(coupon.reward.id)).toMatchObject({ kind: 'redeemed', reward: { status: 'redeemed' } });
    const once = await f.activities.reclaimRewards({ idempotencyKeys: [coupon.key], eventId: 'ord-2' });
    const twice = await f.activities.reclaimRewards({ idempotencyKeys: [coupon.key], eventId: 'ord-2' });
    expect(once.results).toEqual([{ idempotencyKey: coupon.key, outcome: 'unreclaimable', rewardId: coupon.reward.id }]);
    expect(twice).toEqual(once);
    expect((await f.rewards.find(coupon.reward.id))?.status).toBe('unreclaimable');
    expect(await poolUsed(f.ds, 'cpn')).toBe(usedBefore);
    expect(await count(f.ds, `select count(*) from coupon_codes where code = $1 and state = 'issued'`, [coupon.reward.code])).toBe(1);
  });

  it('a reclaim of a key not yet issued stops that key from being issued later', async () => {
    const input = issueInput({ type: 'points', amount: 10, pool: 'pts' }, { userId: 'u-early' });
    const reclaimed = await f.activities.reclaimRewards({ idempotencyKeys: [input.idempotencyKey], eventId: 'ord-3' });
    expect(reclaimed.results).toEqual([{ idempotencyKey: input.idempotencyKey, outcome: 'notIssued', rewardId: null }]);
    expect(await f.activities.issueReward(input)).toEqual({ outcome: 'exhausted', reason: 'reclaimed' });
    expect(await f.rewards.findByKey(input.idempotencyKey)).toBeNull();
  });

  it('reclaims racing issues of the same keys always end consistent', async () => {
    await f.createPool({ key: 'pts-race', kind: 'points', budget: 100_000 });
    await f.createPool({ key: 'cpn-race', kind: 'coupon', codes: Array.from({ length: 200 }, (_, i) => `RC-${i}`) });
    const inputs = Array.from({ length: 200 }, (_, i) =>
      issueInput(i % 2 ? { type: 'points', amount: 3, pool: 'pts-race' } : { type: 'coupon', pool: 'cpn-race' }, { userId: `u-race-${i % 7}` }),
    );
    const outcomes = await Promise.all(
      inputs.map(async (input, i) => {
        const reclaim = () => f.activities.reclaimRewards({ idempotencyKeys: [input.idempotencyKey], eventId: 'ord-race' });
        // Half start the reclaim first; both are in flight together either way.
        const [issued, reclaimed] = i % 4 < 2
          ? await Promise.all([f.activities.issueReward(input), reclaim()])
          : await Promise.all([reclaim(), f.activities.issueReward(input)]).then(([r, s]) => [s, r] as const);
        return { input, issued, reclaimed: reclaimed.results[0] };
      }),
    );
    // The consistent ends: reclaimed after issue, or refused because the reclaim came first. Never an issued reward left standing.
    for (const o of outcomes) {
      const row = await f.rewards.findByKey(o.input.idempotencyKey);
      if (o.reclaimed.outcome === 'notIssued') {
        expect(o.issued).toEqual({ outcome: 'exhausted', reason: 'reclaimed' });
        expect(row).toBeNull();
      } else {
        expect(o.issued.outcome).toBe('issued');
        expect(o.reclaimed.outcome).toBe(o.input.action.type === 'coupon' ? 'voided' : 'reversed');
        expect(row?.status).toBe('reclaimed');
      }
    }
    const firstWins = outcomes.filter((o) => o.reclaimed.outcome !== 'notIssued').length;
    expect(firstWins).toBeGreaterThan(0);
    // Ledger invariants over everything written.
    expect(await count(f.ds, `select count(*) from points_entries e left join rewards r on r.id = e.reward_id where r.id is null`)).toBe(0);
    expect(
      await count(
        f.ds,
        `select count(*) from points_entries v where v.reason = 'reversal'
           and not exists (select 1 from points_entries i where i.reward_id = v.reward_id and i.reason = 'issue' and i.delta = -v.delta)`,
      ),
    ).toBe(0);
    expect(await count(f.ds, `select count(*) from (select user_id from points_entries group by user_id having sum(delta) < 0) neg`)).toBe(0);
    expect(await count(f.ds, `select count(*) from rewards where pool_key = 'pts-race' and status = 'issued'`)).toBe(0);
    expect(await poolUsed(f.ds, 'pts-race')).toBe(0);
    expect(await poolUsed(f.ds, 'cpn-race')).toBe(0);
    // Every reclaimed coupon's code is void; no code is left issued, and no other code was touched.
    expect(await count(f.ds, `select count(*) from coupon_codes where pool_key = 'cpn-race' and state = 'issued'`)).toBe(0);
    expect(await count(f.ds, `select count(*) from coupon_codes where pool_key = 'cpn-race' and state = 'void'`)).toBe(
      await count(f.ds, `select count(*) from rewards where pool_key = 'cpn-race' and status = 'reclaimed'`),
    );
  });

  it('budget used always equals the sum over issued, unreclaimed rewards, shard by shard; shard budgets sum to the pool budget', async () => {
    expect(
      await count(
        f.ds,
        `select count(*) from pool_budget_shards s
          where s.used <> coalesce((select sum(case when r.kind = 'coupon' then 1 else r.amount end) from rewards r
                                     where r.pool_key = s.pool_key and r.budget_shard = s.shard
                                       and r.status in ('issued', 'redeemed', 'unreclaimable')), 0)`,
      ),
    ).toBe(0);
    expect(
      await count(f.ds, `select count(*) from reward_pools p where p.budget is distinct from (select sum(s.budget) from pool_budget_shards s where s.pool_key = p.key)`),
    ).toBe(0);
  });

  it('ledger entries are append-only', async () => {
    const points = await issue({ type: 'points', amount: 1, pool: 'pts' });
    await expect(f.ds.query(`update points_entries set delta = 0 where reward_id = $1`, [points.reward.id])).rejects.toThrow(/append-only/);
    await expect(f.ds.query(`delete from points_entries where reward_id = $1`, [points.reward.id])).rejects.toThrow(/append-only/);
  });

  it("forUser lists a user's rewards and balances in the shape of GET /v1/users/:id/rewards", async () => {
    await issue({ type: 'points', amount: 40, pool: 'pts' }, { userId: 'u-list', campaignKey: 'birthday', causedBy: ['e-1'] });
    await issue({ type: 'points', amount: 2 }, { userId: 'u-list', causedBy: ['e-2'] });
    await issue({ type: 'credit', amount: 3, currency: 'USD' }, { userId: 'u-list' });
    const coupon = await issue({ type: 'coupon', pool: 'cpn' }, { userId: 'u-list', causedBy: ['e-3', 'e-4'] });
    const view = await f.rewards.forUser('u-list');
    expect(view.balances).toEqual({ points: 42, credit: { USD: 3 } });
    expect(view.rewards).toEqual([
      expect.objectContaining({ campaign: 'birthday', kind: 'points', amount: 40, status: 'issued', causedBy: ['e-1'] }),
      expect.objectContaining({ campaign: 'spend', kind: 'points', amount: 2 }),
      expect.objectContaining({ kind: 'credit', amount: 3, currency: 'USD' }),
      { id: coupon.reward.id, campaign: 'spend', kind: 'coupon', code: coupon.reward.code, pool: 'cpn', status: 'issued', causedBy: ['e-3', 'e-4'], issuedAt: coupon.reward.createdAt },
    ]);
    expect(view.total).toBe(4);
    // The newest two, still oldest first; the total and the balances count all four.
    const newest = await f.rewards.forUser('u-list', { limit: 2 });
    expect(newest.rewards.map((r) => r.kind)).toEqual(['credit', 'coupon']);
    expect({ total: newest.total, balances: newest.balances }).toEqual({ total: 4, balances: view.balances });
    expect((await f.rewards.forUser('u-list', { limit: 10 })).rewards).toEqual(view.rewards);
    expect(await f.rewards.forUser('nobody')).toEqual({ rewards: [], total: 0, balances: { points: 0, credit: {} }, older: null });
  });

  it('finds the rewards an event caused through the caused_by index, not by reading every reward (each cancel did)', async () => {
    const mine = await issue({ type: 'points', amount: 1, pool: 'pts' }, { userId: 'u-causes', causedBy: ['ord-a', 'ord-idx'] });
    await issue({ type: 'points', amount: 1, pool: 'pts' }, { userId: 'u-causes', causedBy: ['ord-b'] });
    const causes = new RewardCausesRepository(f.ds);
    expect(await causes.reclaimableKeys('ord-idx')).toEqual([mine.key]);
    const { statements } = await statementsOf(() => causes.reclaimableKeys('ord-idx'));
    const [{ text, values }] = statements;
    // A table this small is read whole by any plan; without sequential scans only an index can answer.
    const plan = await f.ds.transaction(async (tx) => {
      await tx.query('set local enable_seqscan = off');
      return (await tx.query(`explain (format json) ${text}`, values)) as Array<{ 'QUERY PLAN': unknown }>;
    });
    expect(JSON.stringify(plan[0]['QUERY PLAN'])).toContain('rewards_caused_by_idx');
  });
});
