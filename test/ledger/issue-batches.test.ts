import type { RewardCommand } from '../../src/domain/rewards';
import { ledgerRetryCount } from '../../src/store/ledger/ledger-retries.metric';
import { PoolTopUpsRepository } from '../../src/store/repositories/pool-top-ups.repository';
import type { IssueResult } from '../../src/store/repositories/rewards.repository';
import { eventually } from '../support/system-under-test';
import { count, issueInput, poolUsed, startLedger, type LedgerFixture } from './ledger-fixture';

/**
 * Concurrent issues share one call of kairos_issue_rewards (one round trip
 * and one commit); each must still get its own reward, exactly once, and an
 * error must stay with the request that caused it.
 */
/** One point of `r`, as kairos_issue_rewards is asked for it (its request's JSON). */
function askedForPoint(r: RewardCommand, pool: string | null) {
  return { idempotencyKey: r.idempotencyKey, campaignKey: r.campaignKey, campaignVersion: r.campaignVersion, userId: r.userId, stepId: r.stepId, causedBy: r.causedBy, kind: 'points', amount: 1, pool };
}

describe('issues batched together', () => {
  let f: LedgerFixture;
  let calls: string[];
  /** Set by a test: runs before each query goes to PostgreSQL, and may hold it back. */
  let beforeQuery: ((sql: string, params: unknown[] | undefined) => Promise<void>) | null = null;
  beforeAll(async () => {
    f = await startLedger();
    const query = f.ds.query.bind(f.ds);
    jest.spyOn(f.ds, 'query').mockImplementation(async (...args: Parameters<typeof query>) => {
      calls.push(args[0]);
      await beforeQuery?.(args[0], args[1]);
      return query(...args);
    });
  });
  afterEach(() => {
    beforeQuery = null;
  });
  beforeEach(() => {
    calls = [];
  });
  afterAll(async () => f?.stop());

  const batchedCalls = () => calls.filter((sql) => sql.includes('kairos_issue_rewards(')).length;
  const aloneCalls = () => calls.filter((sql) => sql.includes('kairos_issue_reward(')).length;
  /** Two issues take both call slots; what is submitted with them waits and goes as a batch. */
  const withTwoAhead = async (commands: RewardCommand[]): Promise<IssueResult[]> => {
    const ahead = [0, 1].map((i) => f.rewards.issue(issueInput({ type: 'points', amount: 1 }, { userId: `ahead-${i}` })));
    const results = await Promise.all(commands.map((c) => f.rewards.issue(c)));
    await Promise.all(ahead);
    return results;
  };

  it('64 concurrent issues go in a few batched calls, each answered with its own reward', async () => {
    await f.createPool({ key: 'pts-batch', kind: 'points', budget: 100_000 });
    const commands = Array.from({ length: 64 }, (_, i) => issueInput({ type: 'points', amount: i + 1, pool: 'pts-batch' }, { userId: `b-${i}` }));
    const results = await Promise.all(commands.map((c) => f.rewards.issue(c)));

    expect(batchedCalls()).toBeGreaterThan(0);
    expect(batchedCalls() + aloneCalls()).toBeLessThan(32);
    results.forEach((r, i) => {
      expect(r.outcome).toBe('issued');
      expect(r.reward).toMatchObject({ idempotencyKey: commands[i].idempotencyKey, userId: `b-${i}`, amount: i + 1 });
    });
    expect(new Set(results.map((r) => r.reward?.id)).size).toBe(64);
    expect(await poolUsed(f.ds, 'pts-batch')).toBe((64 * 65) / 2);
    expect(await count(f.ds, `select count(*) from points_entries e join rewards r on r.id = e.reward_id where r.pool_key = 'pts-batch'`)).toBe(64);
  });

  it('one batch of every kind: pooled and unpooled, and what needs its user lock goes alone', async () => {
    await f.createPool({ key: 'cpn-mixed', kind: 'coupon', codes: ['C1', 'C2', 'C3'] });
    // Each of the 32 budget shards has room for the credit (a shard without room would split the batch).
    await f.createPool({ key: 'cash-mixed', kind: 'credit', currency: 'EUR', budget: 1000 });
    await f.createPool({ key: 'pts-limited', kind: 'points', perUserLimit: 1 });
    const limited = [0, 1, 2].map(() => issueInput({ type: 'points', amount: 5, pool: 'pts-limited' }, { userId: 'limited' }));
    const splitsBefore = await ledgerRetryCount('batchSplit');
    const results = await withTwoAhead([
      issueInput({ type: 'coupon', pool: 'cpn-mixed' }, { userId: 'm-coupon' }),
      issueInput({ type: 'credit', amount: 7.5, currency: 'EUR', pool: 'cash-mixed' }, { userId: 'm-credit' }),
      issueInput({ type: 'points', amount: 3 }, { userId: 'm-free' }),
      issueInput({ type: 'coupon', pool: 'cpn-mixed', unlessHolding: true }, { userId: 'm-coupon' }),
      ...limited,
    ]);

    expect(batchedCalls()).toBe(1);
    expect(await ledgerRetryCount('batchSplit')).toBe(splitsBefore);
    expect(results[0]).toMatchObject({ outcome: 'issued', reward: { kind: 'coupon', code: 'C1', userId: 'm-coupon' } });
    expect(results[1]).toMatchObject({ outcome: 'issued', reward: { kind: 'credit', amount: 7.5, currency: 'EUR', userId: 'm-credit' } });
    expect(results[2]).toMatchObject({ outcome: 'issued', reward: { kind: 'points', amount: 3, userId: 'm-free' } });
    expect(results[2].reward?.pool).toBeNull();
    // Issued alone, after the batch committed: the coupon m-coupon got in it is held.
    expect(results[3]).toMatchObject({ outcome: 'alreadyHolding', reward: { id: results[0].reward?.id } });
    expect(results.slice(4).map((r) => r.outcome).sort()).toEqual(['exhausted', 'exhausted', 'issued']);
    expect(await count(f.ds, `select count(*) from rewards where pool_key = 'pts-limited'`)).toBe(1);
    expect(await poolUsed(f.ds, 'cash-mixed')).toBe(7.5);
  });

  it('a value PostgreSQL refuses fails only its own issue; the rest of its batch is issued, once', async () => {
    const splitsBefore = await ledgerRetryCount('batchSplit');
    const good = [0, 1, 2, 3].map((i) => issueInput({ type: 'points', amount: 2 }, { userId: `good-${i}` }));
    // jsonb holds no NUL character: the batch's whole parameter is refused, then each issue runs alone.
    const bad = issueInput({ type: 'points', amount: 2 }, { userId: 'bad', causedBy: ['ord-\u0000'] });
    const settled = await Promise.allSettled(
      [0, 1].map((i) => f.rewards.issue(issueInput({ type: 'points', amount: 1 }, { userId: `ahead-x-${i}` }))).concat([good[0], good[1], bad, good[2], good[3]].map((c) => f.rewards.issue(c))),
    );

    expect(batchedCalls()).toBe(1);
    expect(await ledgerRetryCount('batchSplit')).toBe(splitsBefore + 1);
    const [, , g0, g1, b, g2, g3] = settled;
    expect(b.status).toBe('rejected');
    for (const [i, s] of [g0, g1, g2, g3].entries()) {
      expect(s).toMatchObject({ status: 'fulfilled', value: { outcome: 'issued', reward: { userId: `good-${i}` } } });
    }
    expect(await count(f.ds, `select count(*) from rewards where user_id like 'good-%'`)).toBe(4);
    expect(await count(f.ds, `select count(*) from rewards where user_id = 'bad'`)).toBe(0);
  });

  it('a batch never waits for a shard of an unlimited pool, so two batches cannot deadlock; a lone call still waits its turn', async () => {
    await f.createPool({ key: 'pts-open', kind: 'points' });
    // Another transaction holds every shard of the pool (as busy batches together would).
    const holder = f.ds.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`select 1 from pool_budget_shards where pool_key = 'pts-open' for update`);
    const batch = f.ds.createQueryRunner();
    await batch.connect();
    try {
      // A batch that waited here would hold the shards it charged meanwhile: it gives up at once instead. Each
      // request whose probe found no free shard is rolled back alone and answered issueAlone (before review 58,
      // finding 1, its KR003 rolled the whole batch back); the request of no pool beside them is issued.
      await batch.query(`set lock_timeout = '5s'`);
      const requests = [0, 1].map((i) => issueInput({ type: 'points', amount: 1, pool: 'pts-open' }, { userId: `open-${i}` }));
      const free = issueInput({ type: 'points', amount: 1 }, { userId: 'open-free' });
      const asked = [requests[0], free, requests[1]].map((r, i) => askedForPoint(r, i === 1 ? null : 'pts-open'));
      const answered: Array<{ o_index: number; o_outcome: string }> = await batch.query(
        `select o_index, o_outcome from kairos_issue_rewards($1::jsonb) order by o_index`,
        [JSON.stringify(asked)],
      );
      expect(answered.map((r) => r.o_outcome)).toEqual(['issueAlone', 'issued', 'issueAlone']);
      expect(await count(f.ds, `select count(*) from rewards where user_id like 'open-%'`)).toBe(1);

      // Alone, the same request sweeps: it waits for its shard, holding nothing else, and is issued once the holder is done.
      const alone = f.rewards.issueAlone(requests[0]);
      await new Promise((r) => setTimeout(r, 300));
      await holder.rollbackTransaction();
      expect(await alone).toMatchObject({ outcome: 'issued', reward: { userId: 'open-0' } });
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
      await batch.release();
    }
  });

  it('a coupon its batch found no code for is asked again alone, and gets a code another call held and gave back', async () => {
    await f.createPool({ key: 'cpn-held', kind: 'coupon', codes: ['ONLY'] });
    // Another call holds the only code, uncommitted: a claim skips it.
    const holder = f.ds.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`select 1 from coupon_codes where pool_key = 'cpn-held' for update`);
    const coupon = issueInput({ type: 'coupon', pool: 'cpn-held' }, { userId: 'held-1' });
    // The lone call for it waits until the holder has rolled back.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let askedAlone!: () => void;
    const alone = new Promise<void>((r) => (askedAlone = r));
    beforeQuery = async (sql, params) => {
      if (sql.includes('kairos_issue_reward(') && String(params?.[0]).includes(coupon.idempotencyKey)) {
        askedAlone();
        await released;
      }
    };
    const [result] = await Promise.all([
      withTwoAhead([coupon, issueInput({ type: 'points', amount: 1 }, { userId: 'held-2' })]),
      // Without the second ask the batch's answer (no code) would settle first and this would not come.
      Promise.race([alone, new Promise((r) => setTimeout(r, 10_000))]).then(async () => {
        await holder.rollbackTransaction();
        await holder.release();
        release();
      }),
    ]);
    expect(batchedCalls()).toBe(1);
    expect(result[0]).toMatchObject({ outcome: 'issued', reward: { code: 'ONLY', userId: 'held-1' } });
  });

  it("a batch that reaches a key after the key's lone attempt answered exhausted answers the same, though budget came back meanwhile (review 49, finding 2)", async () => {
    await f.createPool({ key: 'pts-stale', kind: 'points', budget: 1 });
    expect((await f.rewards.issueAlone(issueInput({ type: 'points', amount: 1, pool: 'pts-stale' }, { userId: 'stale-spent' }))).outcome).toBe('issued');
    const late = issueInput({ type: 'points', amount: 1, pool: 'pts-stale' }, { userId: 'stale-late' });
    const first = issueInput({ type: 'points', amount: 1 }, { userId: 'stale-first' });
    const asked = [first, late].map((r) => askedForPoint(r, r.action.type === 'points' ? (r.action.pool ?? null) : null));
    // An attempt of the late key in a worker's batch, timed out by Temporal before it reached PostgreSQL: the next
    // attempt goes alone and the journey is told exhausted; then the pool is topped up (room in every shard).
    expect(await f.rewards.issueAlone(late)).toMatchObject({ outcome: 'exhausted', detail: 'budget' });
    expect(await new PoolTopUpsRepository(f.ds).topUp('pts-stale', { id: 't', requestHash: 'h', budget: 1000 }, () => [])).toMatchObject({ outcome: 'applied' });
    const stale: Array<{ o_index: number; o_outcome: string; o_detail: string | null }> = await f.ds.query(
      `select o_index, o_outcome, o_detail from kairos_issue_rewards($1::jsonb) order by o_index`,
      [JSON.stringify(asked)],
    );
    expect(stale.map((r) => [r.o_outcome, r.o_detail])).toEqual([
      ['issued', null],
      ['exhausted', 'budget'],
    ]);
    expect(await count(f.ds, `select count(*) from rewards where idempotency_key = $1`, [late.idempotencyKey])).toBe(0);
    expect(await poolUsed(f.ds, 'pts-stale')).toBe(1);
  });

  it("a batch never waits for a key's lock while it holds a shard: a key whose reclaim waits for that shard is answered issueAlone, and no deadlock is retried (review 52, finding 1)", async () => {
    // 32 shards of 2 points each.
    await f.createPool({ key: 'pts-reclaim-race', kind: 'points', budget: 64 });
    // The reclaimed key is issued alone first (its attempt committed; the journey never got the answer), charged on its
    // shard. It is one of the upper half of lock ids, so that a key locked before it is easy to find.
    const [{ reclaimedKey }]: Array<{ reclaimedKey: string }> = await f.ds.query(
      `select k as "reclaimedKey" from generate_series(1, 1000) i, lateral (select 'race-reclaimed:' || i as k) x
        where hashtextextended('kairos.reward:' || k, 0) > 0 limit 1`,
    );
    const reclaimed = issueInput({ type: 'points', amount: 1, pool: 'pts-reclaim-race' }, { idempotencyKey: reclaimedKey, userId: 'race-reclaimed' });
    const issued = await f.rewards.issueAlone(reclaimed);
    expect(issued.outcome).toBe('issued');
    // A key whose probe starts at that shard (and charges it) and whose lock id comes first: the previous
    // version charged it, then waited for the reclaimed key's lock.
    const [{ firstKey }]: Array<{ firstKey: string }> = await f.ds.query(
      `select k as "firstKey" from generate_series(1, 100000) i, lateral (select 'race-first:' || i as k) x
        where abs(hashtextextended(k, 0) % 32) = (select budget_shard from rewards where idempotency_key = $1)
          and hashtextextended('kairos.reward:' || k, 0) < hashtextextended('kairos.reward:' || $1, 0)
        limit 1`,
      [reclaimedKey],
    );
    const first = issueInput({ type: 'points', amount: 1, pool: 'pts-reclaim-race' }, { idempotencyKey: firstKey, userId: 'race-first' });

    // The reclaim takes the key's lock, then is held back before it gives the budget back to the shard.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let reachedShard!: () => void;
    const reclaimHeld = new Promise<void>((r) => (reachedShard = r));
    beforeQuery = async (sql, params) => {
      if (sql.includes('kairos_reclaim_reward(') && String(params?.[0]).includes(reclaimedKey)) {
        reachedShard();
        await released;
      }
    };
    const deadlocksBefore = await ledgerRetryCount('deadlock');
    const reclaim = f.rewards.reclaim(reclaimedKey, 'race-event', 'refund');
    try {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([reclaimHeld, new Promise((_, fail) => (timer = setTimeout(() => fail(new Error('the reclaim never reached its shard update')), 10_000)))]);
      clearTimeout(timer);
      let batchSettled = false;
      const batch: Promise<Array<{ o_index: number; o_outcome: string; o_detail: string | null; o_reward: { idempotency_key: string } | null }>> = f.ds.query(
        `select o_index, o_outcome, o_detail, o_reward from kairos_issue_rewards($1::jsonb) order by o_index`,
        [JSON.stringify([first, reclaimed].map((r) => askedForPoint(r, 'pts-reclaim-race')))],
      );
      void batch.then(
        () => (batchSettled = true),
        () => (batchSettled = true),
      );
      // The batch either answers, or (the previous version) waits for the reclaimed key's lock, holding the shard.
      await eventually(async () => {
        if (batchSettled) return true;
        const [{ n }] = (await f.ds.query(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and wait_event = 'advisory' and datname = current_database()`)) as Array<{ n: number }>;
        return n > 0 ? true : undefined;
      });
      release();
      const [batchResult, reclaimResult] = await Promise.allSettled([batch, reclaim]);

      // A call PostgreSQL aborted shows its SQLSTATE (40P01: the deadlock).
      const answerOf = (s: PromiseSettledResult<unknown>) => (s.status === 'fulfilled' ? s.value : { rejected: (s.reason as { code?: string }).code });
      expect(answerOf(batchResult)).toMatchObject([
        { o_index: 0, o_outcome: 'issued', o_reward: { idempotency_key: firstKey } },
        { o_index: 1, o_outcome: 'issueAlone', o_detail: null, o_reward: null },
      ]);
      expect(answerOf(reclaimResult)).toMatchObject({ outcome: 'reversed', first: true });
      expect((await ledgerRetryCount('deadlock')) - deadlocksBefore).toBe(0);
    } finally {
      release();
      await reclaim.catch(() => undefined);
    }
    // Alone, the reclaimed key gets its first answer: the reward, now reclaimed; nothing charged twice.
    expect(await f.rewards.issueAlone(reclaimed)).toMatchObject({ outcome: 'issued', reward: { id: issued.reward?.id, status: 'reclaimed' } });
    expect(await count(f.ds, `select count(*) from rewards where pool_key = 'pts-reclaim-race'`)).toBe(2);
    expect(await poolUsed(f.ds, 'pts-reclaim-race')).toBe(1);
  });
});
