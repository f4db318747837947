import type { IssueRewardResult } from '../../src/activities/rewards/reward-activities';
import { ledgerRetryCount } from '../../src/store/ledger/ledger-retries.metric';
import { count, issueInput, poolUsed, startLedger, type LedgerFixture } from './ledger-fixture';

/**
 * The sharded budget's slow path: when no free shard has room, an issue
 * locks every shard in order. A probe that kept the lock on a shard it had
 * skipped made two such sweeps lock in opposite orders (40P01 in CI). The
 * cycle needs two sweeps at once, each holding such a shard, so the test
 * runs several rounds of 300 issues; before the fix a few deadlocks showed
 * in a dozen rounds.
 */
describe('a nearly spent sharded budget under concurrent issues', () => {
  let f: LedgerFixture;
  beforeAll(async () => {
    f = await startLedger();
  });
  afterAll(async () => f?.stop());

  const issued = (rs: IssueRewardResult[]) => rs.filter((r) => r.outcome === 'issued');
  // [budget, amount]: 32 shards whose rooms run out a little above the amount, so most issues end in the sweep.
  const shapes: Array<[number, number]> = [
    [96, 1],
    [200, 2],
    [320, 3],
    [640, 7],
  ];

  it('300 concurrent issues, round after round, spend it exactly, with no deadlock retried', async () => {
    const deadlocksBefore = await ledgerRetryCount('deadlock');
    for (let round = 0; round < 12; round++) {
      const [budget, amount] = shapes[round % shapes.length];
      const pool = `pts-nearly-${round}`;
      await f.createPool({ key: pool, kind: 'points', budget });
      const results = await Promise.all(
        Array.from({ length: 300 }, (_, i) => f.activities.issueReward(issueInput({ type: 'points', amount, pool }, { userId: `u-${round}-${i}` }))),
      );
      const fits = Math.min(300, Math.floor(budget / amount));
      expect(issued(results)).toHaveLength(fits);
      expect(results.filter((r) => r.outcome === 'exhausted')).toHaveLength(300 - fits);
      expect(await poolUsed(f.ds, pool)).toBe(fits * amount);
      expect(await count(f.ds, `select coalesce(sum(amount), 0) from rewards where pool_key = $1`, [pool])).toBe(fits * amount);
      expect(await count(f.ds, `select sum(budget) from pool_budget_shards where pool_key = $1`, [pool])).toBe(budget);
    }
    expect((await ledgerRetryCount('deadlock')) - deadlocksBefore).toBe(0);
  }, 120_000);
});
