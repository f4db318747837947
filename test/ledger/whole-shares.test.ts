import type { RewardCommand } from '../../src/domain/rewards';
import { ledgerRetryCount } from '../../src/store/ledger/ledger-retries.metric';
import { IssueRewardWholeShares1767610000000 } from '../../src/store/migrations/1767610000000-issue-reward-whole-shares';
import { PoolTopUpsRepository } from '../../src/store/repositories/pool-top-ups.repository';
import type { IssueResult } from '../../src/store/repositories/rewards.repository';
import { count, issueInput, poolUsed, startLedger, type LedgerFixture } from './ledger-fixture';

/**
 * Review 58, finding 1. A shard with less room than one reward's cost is no
 * use to the probe. Budgets were spread in equal truncated shares (a coupon
 * pool of 20: 0.625 a shard) and the sweep spread what was left the same
 * way, so a small or coarse pool had no shard with room after any sweep:
 * every issue swept (locking all 32 shards), and in a batch its KR003 rolled
 * every other request back (batchSplit). Now budgets are spread in whole
 * units and the sweep in whole rewards of the cost asked for, and a batch
 * sends a request whose probe found no room alone without rolling back the
 * others.
 */
describe('budget shards hold whole rewards', () => {
  let f: LedgerFixture;
  let calls: Array<{ sql: string; params: unknown[] | undefined }>;
  beforeAll(async () => {
    f = await startLedger();
    const query = f.ds.query.bind(f.ds);
    jest.spyOn(f.ds, 'query').mockImplementation(async (...args: Parameters<typeof query>) => {
      calls.push({ sql: args[0], params: args[1] });
      return query(...args);
    });
  });
  beforeEach(() => {
    calls = [];
  });
  afterAll(async () => f?.stop());

  /** Lone calls that swept (`p_sweep` true): each locked every shard of its pool. */
  const sweeps = () => calls.filter((c) => c.sql.includes('kairos_issue_reward(') && c.params?.[1] === true).length;
  const batchedCalls = () => calls.filter((c) => c.sql.includes('kairos_issue_rewards(')).length;
  /** One number `sql` selects, as exact as a double holds it (count() rounds to a whole number). */
  const numeric = async (sql: string, params: unknown[] = []) => Number((await f.ds.query(`select (${sql})::text as v`, params))[0].v);
  const shardBudget = (key: string) => numeric(`select sum(budget) from pool_budget_shards where pool_key = $1`, [key]);
  /** Shards no reward of `cost` fits in any more, though they have room left. */
  const uselessShards = (key: string, cost: number) =>
    count(f.ds, `select count(*) from pool_budget_shards where pool_key = $1 and budget - used > 0 and budget - used < $2`, [key, cost]);
  /** Two issues take both call slots; what is submitted with them waits and goes as one batch. */
  const asOneBatch = async (commands: RewardCommand[]): Promise<IssueResult[]> => {
    const ahead = [0, 1].map((i) => f.rewards.issue(issueInput({ type: 'points', amount: 1 }, { userId: `ahead-${i}` })));
    const results = await Promise.all(commands.map((c) => f.rewards.issue(c)));
    await Promise.all(ahead);
    return results;
  };

  it('a coupon pool with a budget of 20 issues its 20 coupons one after the other without a sweep, then is exhausted', async () => {
    await f.createPool({ key: 'cpn-20', kind: 'coupon', budget: 20, codes: Array.from({ length: 25 }, (_, i) => `C20-${i}`) });
    for (let i = 0; i < 20; i++) {
      expect(await f.rewards.issueAlone(issueInput({ type: 'coupon', pool: 'cpn-20' }, { userId: `c20-${i}` }))).toMatchObject({ outcome: 'issued' });
      expect(await uselessShards('cpn-20', 1)).toBe(0);
    }
    // Before, each of the 20 swept: no shard of 0.625 held a coupon, nor any after a sweep.
    expect(sweeps()).toBe(0);
    expect(await f.rewards.issueAlone(issueInput({ type: 'coupon', pool: 'cpn-20' }, { userId: 'c20-late' }))).toMatchObject({
      outcome: 'exhausted',
      detail: 'budget',
    });
    expect(await poolUsed(f.ds, 'cpn-20')).toBe(20);
    expect(await shardBudget('cpn-20')).toBe(20);
  });

  it('a points pool given 7 at a time sweeps once, then issues from the shards the sweep left until it is spent', async () => {
    // Creation spreads the whole part 4 or 3 a shard (and the half to shard 0): 7 fits in none.
    await f.createPool({ key: 'pts-coarse', kind: 'points', budget: 100.5 });
    const issue = (i: number) => f.rewards.issueAlone(issueInput({ type: 'points', amount: 7, pool: 'pts-coarse' }, { userId: `coarse-${i}` }));
    expect(await issue(0)).toMatchObject({ outcome: 'issued' });
    expect(sweeps()).toBe(1);
    // 93.5 left: 13 rewards of 7 in 13 shards, the key's one of them, which also holds the 2.5 under one reward.
    expect(await uselessShards('pts-coarse', 7)).toBe(0);
    expect(await count(f.ds, `select count(*) from pool_budget_shards where pool_key = 'pts-coarse' and budget - used >= 7`)).toBe(13);
    expect(await numeric(`select max(budget - used) from pool_budget_shards where pool_key = 'pts-coarse'`)).toBe(9.5);
    for (let i = 1; i < 14; i++) expect(await issue(i)).toMatchObject({ outcome: 'issued' });
    // Before, every one of them swept.
    expect(sweeps()).toBe(1);
    expect(await issue(14)).toMatchObject({ outcome: 'exhausted', detail: 'budget' });
    expect(await poolUsed(f.ds, 'pts-coarse')).toBe(98);
    expect(await shardBudget('pts-coarse')).toBe(100.5);
    expect(await numeric(`select sum(amount) from rewards where pool_key = 'pts-coarse'`)).toBe(98);
  });

  it('a pool spread the old way (before this release) is spread in whole rewards by its next sweep', async () => {
    await f.createPool({ key: 'cpn-old', kind: 'coupon', budget: 20, codes: Array.from({ length: 20 }, (_, i) => `OLD-${i}`) });
    // As the previous release created it: 0.625 a shard.
    await f.ds.query(`update pool_budget_shards set budget = 0.625 where pool_key = 'cpn-old'`);
    for (let i = 0; i < 20; i++) expect(await f.rewards.issueAlone(issueInput({ type: 'coupon', pool: 'cpn-old' }, { userId: `old-${i}` }))).toMatchObject({ outcome: 'issued' });
    expect(sweeps()).toBe(1);
    expect(await poolUsed(f.ds, 'cpn-old')).toBe(20);
    expect(await shardBudget('cpn-old')).toBe(20);
  });

  it('a top-up of a coupon pool is spread in whole coupons', async () => {
    await f.createPool({ key: 'cpn-topped', kind: 'coupon', budget: 1, codes: Array.from({ length: 10 }, (_, i) => `TOP-${i}`) });
    expect(await f.rewards.issueAlone(issueInput({ type: 'coupon', pool: 'cpn-topped' }, { userId: 'top-0' }))).toMatchObject({ outcome: 'issued' });
    expect(await new PoolTopUpsRepository(f.ds).topUp('cpn-topped', { id: 't-cpn', requestHash: 'h', budget: 5 }, () => [])).toMatchObject({ outcome: 'applied' });
    expect(await uselessShards('cpn-topped', 1)).toBe(0);
    for (let i = 1; i <= 5; i++) expect(await f.rewards.issueAlone(issueInput({ type: 'coupon', pool: 'cpn-topped' }, { userId: `top-${i}` }))).toMatchObject({ outcome: 'issued' });
    expect(sweeps()).toBe(0);
    expect(await shardBudget('cpn-topped')).toBe(6);
  });

  it('a batch of 7 unlimited points and 1 coupon of the budget-20 pool is not split', async () => {
    await f.createPool({ key: 'cpn-20b', kind: 'coupon', budget: 20, codes: Array.from({ length: 20 }, (_, i) => `B20-${i}`) });
    const splitsBefore = await ledgerRetryCount('batchSplit');
    const results = await asOneBatch([
      ...Array.from({ length: 7 }, (_, i) => issueInput({ type: 'points', amount: 3 }, { userId: `mix-${i}` })),
      issueInput({ type: 'coupon', pool: 'cpn-20b' }, { userId: 'mix-coupon' }),
    ]);
    expect(results.map((r) => r.outcome)).toEqual(Array(8).fill('issued'));
    expect(batchedCalls()).toBe(1);
    expect(await ledgerRetryCount('batchSplit')).toBe(splitsBefore);
    expect(sweeps()).toBe(0);
  });

  it('a request of a spent pool in a batch goes alone, and the rest of the batch is issued in it, once', async () => {
    await f.createPool({ key: 'pts-spent', kind: 'points', budget: 1 });
    expect(await f.rewards.issueAlone(issueInput({ type: 'points', amount: 1, pool: 'pts-spent' }, { userId: 'spent-first' }))).toMatchObject({ outcome: 'issued' });
    calls = [];
    const splitsBefore = await ledgerRetryCount('batchSplit');
    const others = Array.from({ length: 7 }, (_, i) => issueInput({ type: 'points', amount: 2 }, { userId: `beside-spent-${i}` }));
    const spent = issueInput({ type: 'points', amount: 1, pool: 'pts-spent' }, { userId: 'spent-late' });
    const results = await asOneBatch([others[0], others[1], others[2], spent, ...others.slice(3)]);
    // Before, the spent pool's KR003 rolled the whole batch back, and all 8 were issued alone.
    expect(await ledgerRetryCount('batchSplit')).toBe(splitsBefore);
    expect(batchedCalls()).toBe(1);
    expect(results[3]).toEqual({ outcome: 'exhausted', detail: 'budget', reward: null });
    const aloneKeys = calls
      .filter((c) => c.sql.includes('kairos_issue_reward('))
      .map((c) => (JSON.parse(String(c.params?.[0])) as { idempotencyKey: string }).idempotencyKey)
      .filter((k) => !k.startsWith('spend:ahead-'));
    expect(new Set(aloneKeys)).toEqual(new Set([spent.idempotencyKey]));
    for (const [i, r] of [...results.slice(0, 3), ...results.slice(4)].entries()) {
      expect(r).toMatchObject({ outcome: 'issued', reward: { userId: `beside-spent-${i}`, amount: 2 } });
    }
    expect(await count(f.ds, `select count(*) from rewards where user_id like 'beside-spent-%'`)).toBe(7);
    expect(await poolUsed(f.ds, 'pts-spent')).toBe(1);
  });

  it('the migration goes down to the bodies it replaced and up again', async () => {
    const bodies = async () =>
      (await f.ds.query(`select proname, prosrc from pg_proc where proname in ('kairos_issue_reward', 'kairos_issue_rewards') order by proname`)) as Array<{
        proname: string;
        prosrc: string;
      }>;
    const migration = new IssueRewardWholeShares1767610000000();
    const runner = f.ds.createQueryRunner();
    try {
      await migration.down(runner);
      const [downIssue, downBatch] = await bodies();
      expect(downIssue.prosrc).toContain('trunc((v_left - v_cost) / 32, 6)');
      expect(downBatch.prosrc).not.toContain("when sqlstate 'KR003'");
      await migration.up(runner);
      const [upIssue, upBatch] = await bodies();
      expect(upIssue.prosrc).toContain('v_whole := case when v_cost > 0');
      expect(upIssue.prosrc).not.toContain('trunc(');
      expect(upBatch.prosrc).toContain("when sqlstate 'KR003'");
    } finally {
      await runner.release();
    }
  });
});
