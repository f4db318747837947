import type { QueryRunner } from 'typeorm';
import type { RewardCommand } from '../../src/domain/rewards';
import { issueInput, count, startLedger, type LedgerFixture } from './ledger-fixture';

describe('coupon pools', () => {
  let f: LedgerFixture;
  beforeAll(async () => {
    f = await startLedger();
  });
  afterAll(async () => f?.stop());

  /** A transaction on a connection of its own, standing for another worker's call in flight; `pid` is its backend. */
  async function otherTransaction(): Promise<{ runner: QueryRunner; pid: number }> {
    const runner = f.ds.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    const [{ pid }]: Array<{ pid: number }> = await runner.query(`select pg_backend_pid() as pid`);
    return { runner, pid };
  }

  /**
   * Settles with 'answered' once `call` has answered, or with 'waiting' once some backend waits for a lock `pid`
   * holds (the issue waiting for the code), whichever comes first.
   */
  async function answeredOrWaiting(call: Promise<unknown>, pid: number): Promise<'answered' | 'waiting'> {
    let answered = false;
    const settled = call.then(
      () => (answered = true),
      () => (answered = true),
    );
    const waiting = (async () => {
      while (!answered) {
        if ((await count(f.ds, `select count(*) from pg_stat_activity where $1 = any(pg_blocking_pids(pid))`, [pid])) > 0) return 'waiting' as const;
        await new Promise((r) => setTimeout(r, 20));
      }
      return 'answered' as const;
    })();
    return Promise.race([settled.then(() => 'answered' as const), waiting]);
  }

  /** The jsonb request kairos_issue_reward reads, for a coupon command. */
  const couponRequest = (r: RewardCommand) =>
    JSON.stringify({
      idempotencyKey: r.idempotencyKey,
      campaignKey: r.campaignKey,
      campaignVersion: r.campaignVersion,
      userId: r.userId,
      stepId: r.stepId,
      causedBy: r.causedBy,
      kind: 'coupon',
      amount: null,
      currency: null,
      pool: r.action.type === 'coupon' ? r.action.pool : null,
      unlessHolding: false,
    });

  describe('a lone issue waits for a code another transaction holds instead of answering noCodes (review 56, finding 1)', () => {
    it('the holder rolls back: the issue gets the code, and its key keeps that answer', async () => {
      await f.createPool({ key: 'cpn-locked', kind: 'coupon', codes: ['L-1'] });
      // A batch that claimed the code and then rolled back, or a lone call killed before its commit.
      const holder = await otherTransaction();
      try {
        await holder.runner.query(`select 1 from coupon_codes where pool_key = 'cpn-locked' for update`);
        const input = issueInput({ type: 'coupon', pool: 'cpn-locked' }, { userId: 'u-2' });
        const result = f.activities.issueReward(input);
        // Before, the issue answered (and kept) noCodes here, without waiting.
        const seen = await answeredOrWaiting(result, holder.pid);
        await holder.runner.rollbackTransaction();
        const issued = await result;
        expect(issued).toMatchObject({ outcome: 'issued', reward: { code: 'L-1' } });
        expect(await count(f.ds, `select count(*) from rewards where user_id = 'u-2' and code = 'L-1' and idempotency_key = $1`, [input.idempotencyKey])).toBe(1);
        expect(seen).toBe('waiting');
        expect(await f.activities.issueReward(input)).toEqual(issued);
        expect(await count(f.ds, `select count(*) from reward_answers where idempotency_key = $1`, [input.idempotencyKey])).toBe(0);
      } finally {
        if (holder.runner.isTransactionActive) await holder.runner.rollbackTransaction();
        await holder.runner.release();
      }
    });

    it('the holder issues the code it waited for: the issue moves on to the next available code', async () => {
      await f.createPool({ key: 'cpn-next', kind: 'coupon', codes: ['N-1', 'N-2'] });
      const holder = await otherTransaction();
      try {
        // Another call issues N-1 and, until it commits, N-2 is locked too: nothing is free to claim.
        await holder.runner.query(`select * from kairos_issue_reward($1::jsonb, false)`, [
          couponRequest(issueInput({ type: 'coupon', pool: 'cpn-next' }, { userId: 'u-holder' })),
        ]);
        await holder.runner.query(`select 1 from coupon_codes where pool_key = 'cpn-next' and code = 'N-2' for update`);
        const input = issueInput({ type: 'coupon', pool: 'cpn-next' }, { userId: 'u-next' });
        const result = f.activities.issueReward(input);
        expect(await answeredOrWaiting(result, holder.pid)).toBe('waiting');
        await holder.runner.commitTransaction();
        expect(await result).toMatchObject({ outcome: 'issued', reward: { code: 'N-2' } });
        expect(await count(f.ds, `select count(*) from rewards where pool_key = 'cpn-next' and code = 'N-1' and user_id = 'u-holder'`)).toBe(1);
        expect(await count(f.ds, `select count(*) from rewards where code = 'N-2' and idempotency_key = $1`, [input.idempotencyKey])).toBe(1);
      } finally {
        if (holder.runner.isTransactionActive) await holder.runner.rollbackTransaction();
        await holder.runner.release();
      }
    });

    it('the holder issues the last code: the issue answers noCodes, and keeps it', async () => {
      await f.createPool({ key: 'cpn-last', kind: 'coupon', codes: ['T-1'] });
      const holder = await otherTransaction();
      try {
        await holder.runner.query(`select * from kairos_issue_reward($1::jsonb, false)`, [
          couponRequest(issueInput({ type: 'coupon', pool: 'cpn-last' }, { userId: 'u-holder' })),
        ]);
        const input = issueInput({ type: 'coupon', pool: 'cpn-last' }, { userId: 'u-last' });
        const result = f.activities.issueReward(input);
        expect(await answeredOrWaiting(result, holder.pid)).toBe('waiting');
        await holder.runner.commitTransaction();
        expect(await result).toEqual({ outcome: 'exhausted', reason: 'noCodes' });
        expect(await count(f.ds, `select count(*) from reward_answers where idempotency_key = $1 and detail = 'noCodes'`, [input.idempotencyKey])).toBe(1);
      } finally {
        if (holder.runner.isTransactionActive) await holder.runner.rollbackTransaction();
        await holder.runner.release();
      }
    });

    it('a batch still never waits for a locked code: its request comes back noCodes, not kept', async () => {
      await f.createPool({ key: 'cpn-batch-held', kind: 'coupon', codes: ['H-1'] });
      const holder = await otherTransaction();
      try {
        await holder.runner.query(`select 1 from coupon_codes where pool_key = 'cpn-batch-held' for update`);
        const input = issueInput({ type: 'coupon', pool: 'cpn-batch-held' }, { userId: 'u-batch' });
        const rows: Array<{ o_outcome: string; o_detail: string | null }> = await f.ds.query(
          `select o_outcome, o_detail from kairos_issue_rewards($1::jsonb)`,
          [`[${couponRequest(input)}]`],
        );
        expect(rows).toEqual([{ o_outcome: 'exhausted', o_detail: 'noCodes' }]);
        expect(await count(f.ds, `select count(*) from reward_answers where idempotency_key = $1`, [input.idempotencyKey])).toBe(0);
      } finally {
        if (holder.runner.isTransactionActive) await holder.runner.rollbackTransaction();
        await holder.runner.release();
      }
    });
  });

  it('200 concurrent issues over 50 codes never hand one code twice', async () => {
    const codes = Array.from({ length: 50 }, (_, i) => `C-${String(i).padStart(3, '0')}`);
    await f.createPool({ key: 'cpn-50', kind: 'coupon', codes });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => f.activities.issueReward(issueInput({ type: 'coupon', pool: 'cpn-50' }, { userId: `u-${i}` }))),
    );
    const handed = results.flatMap((r) => (r.outcome === 'issued' ? [r.reward.code] : []));
    expect(handed).toHaveLength(50);
    expect(new Set(handed).size).toBe(50);
    expect([...handed].sort()).toEqual(codes);
    expect(results.filter((r) => r.outcome === 'exhausted' && r.reason === 'noCodes')).toHaveLength(150);
    // Each code row points at the one reward that holds it.
    expect(
      await count(
        f.ds,
        `select count(*) from coupon_codes c join rewards r on r.id = c.reward_id and r.code = c.code where c.pool_key = 'cpn-50' and c.state = 'issued'`,
      ),
    ).toBe(50);
    expect(await f.pools.find('cpn-50')).toMatchObject({ budget: null, used: 50, left: null, codes: { total: 50, issued: 50, left: 0 } });
  });

  it('a coupon budget below the number of codes stops at the budget', async () => {
    await f.createPool({ key: 'cpn-budget', kind: 'coupon', budget: 10, codes: Array.from({ length: 100 }, (_, i) => `B-${i}`) });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => f.activities.issueReward(issueInput({ type: 'coupon', pool: 'cpn-budget' }, { userId: `u-${i}` }))),
    );
    expect(results.filter((r) => r.outcome === 'issued')).toHaveLength(10);
    expect(await f.pools.find('cpn-budget')).toMatchObject({ budget: 10, used: 10, left: 0, codes: { total: 100, issued: 10, left: 90 } });
  });

  it('imported codes go out in their given order', async () => {
    await f.createPool({ key: 'cpn-order', kind: 'coupon', codes: ['Z', 'A', 'M'] });
    const out: Array<string | null> = [];
    for (let i = 0; i < 3; i++) {
      const r = await f.activities.issueReward(issueInput({ type: 'coupon', pool: 'cpn-order' }));
      out.push(r.outcome === 'issued' ? r.reward.code : null);
    }
    expect(out).toEqual(['Z', 'A', 'M']);
  });

  it('generated codes follow the pattern, are distinct, and all of them can be issued', async () => {
    await f.createPool({ key: 'cpn-gen', kind: 'coupon', generate: { pattern: 'SAVE-####-????', count: 25_000 }, validFor: 'P30D' });
    expect((await f.pools.find('cpn-gen'))?.codes).toEqual({ total: 25_000, issued: 0, left: 25_000, voided: 0 });
    expect(await count(f.ds, `select count(distinct code) from coupon_codes where pool_key = 'cpn-gen' and code ~ '^SAVE-[0-9]{4}-[A-Z]{4}$'`)).toBe(25_000);
    const r = await f.activities.issueReward(issueInput({ type: 'coupon', pool: 'cpn-gen' }));
    expect(r).toMatchObject({ outcome: 'issued', reward: { code: expect.stringMatching(/^SAVE-\d{4}-[A-Z]{4}$/) } });
  });
});
