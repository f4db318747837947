/**
 * The cost of exactly-once: an idempotent reward issue (the real activity:
 * key lock, existing-key check, budget shard locked and checked, reward
 * insert, ledger entry, budget update; one transaction) against a plain
 * INSERT of the same reward row. Same database, same pg pool, same
 * concurrency, rounds alternated; medians compared.
 *
 * The activity's issues share calls: what arrives while calls run goes in
 * the next batch (kairos_issue_rewards, one round trip and one commit), as
 * in a worker running many journeys. For comparison the run also measures
 * each issue in a call of its own (RewardsRepository.issueAlone), printed
 * as `unbatched`; the last line is the activity's figure.
 *
 * All issues draw on ONE budgeted pool, the worst case for contention; the
 * plain inserts have no shared row at all.
 */
import { performance } from 'node:perf_hooks';
import { createRewardActivities } from '../src/activities/rewards/reward-activities';
import type { RewardCommand } from '../src/domain/rewards';
import { PoolsRepository } from '../src/store/repositories/pools.repository';
import { RewardsRepository } from '../src/store/repositories/rewards.repository';
import { createBenchDatabase } from './bench-database';
import { onRunEnd, runBench, stopAll } from './support/run-lifetime';
import { median } from './support/stats';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const OPS = Number(process.env.BENCH_OPS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP = 500;
const POOL = 'bench-points';

/** Runs `op(0..n-1)` with `CONCURRENCY` in flight; returns ops per second. */
async function measure(n: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) await op(next++);
    }),
  );
  return n / ((performance.now() - started) / 1000);
}


async function main(): Promise<void> {
  const db = await createBenchDatabase(CONCURRENCY + 1);
  onRunEnd('bench database', db.drop);
  try {
    const ds = db.dataSource;
    await new PoolsRepository(ds).create({ key: POOL, kind: 'points', budget: 1e15 });
    const { issueReward } = createRewardActivities({ dataSource: ds });
    const rewards = new RewardsRepository(ds);

    /** The i-th issue of a phase: 1,000 users, each step its own key. */
    const command = (prefix: string, i: number): RewardCommand => ({
      idempotencyKey: `${prefix}:u-${i % 1000}:1:1:step-${i}`,
      campaignKey: 'bench',
      campaignVersion: 1,
      userId: `u-${i % 1000}`,
      stepId: `step-${i}`,
      causedBy: [`ord-${i}`],
      action: { type: 'points', amount: 10, pool: POOL },
    });
    const expectIssued = (what: string, r: { outcome: string }) => {
      if (r.outcome !== 'issued') throw new Error(`${what}: ${JSON.stringify(r)}`);
    };
    const issue = (tag: string) => async (i: number) => expectIssued(`issue ${i}`, await issueReward(command(`bench:${tag}`, i)));
    const alone = (tag: string) => async (i: number) => expectIssued(`issue alone ${i}`, await rewards.issueAlone(command(`alone:${tag}`, i)));
    const plain = (tag: string) => async (i: number) => {
      await ds.query(
        `insert into rewards (idempotency_key, campaign_key, campaign_version, user_id, step_id, kind, amount, pool_key, caused_by)
         values ($1, $2, $3, $4, $5, 'points', $6, $7, $8::text[])`,
        [`plain:${tag}:u-${i % 1000}:1:1:step-${i}`, 'bench', 1, `u-${i % 1000}`, `step-${i}`, 10, POOL, [`ord-${i}`]],
      );
    };

    await measure(WARMUP, issue('warm'));
    await measure(WARMUP, alone('warm'));
    await measure(WARMUP, plain('warm'));

    const issueRates: number[] = [];
    const aloneRates: number[] = [];
    const plainRates: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate which goes first, so none always runs on a warmer (or fuller) table.
      const phases = ['issue', 'alone', 'plain'] as const;
      for (let k = 0; k < phases.length; k++) {
        const which = phases[(round + k) % phases.length];
        if (which === 'issue') issueRates.push(await measure(OPS, issue(`r${round}`)));
        else if (which === 'alone') aloneRates.push(await measure(OPS, alone(`r${round}`)));
        else plainRates.push(await measure(OPS, plain(`r${round}`)));
      }
      console.log(
        `round ${round + 1}: issue ${issueRates[round].toFixed(0)} ops/s (unbatched ${aloneRates[round].toFixed(0)}), plain insert ${plainRates[round].toFixed(0)} ops/s`,
      );
    }
    const [usedRow]: Array<{ used: string }> = await ds.query(`select sum(used) as used from pool_budget_shards where pool_key = $1`, [POOL]);
    const expectedUsed = 2 * (WARMUP + ROUNDS * OPS) * 10;
    if (Number(usedRow.used) !== expectedUsed) throw new Error(`budget used ${usedRow.used}, expected ${expectedUsed}`);

    const issueOps = median(issueRates);
    const aloneOps = median(aloneRates);
    const plainOps = median(plainRates);
    console.log(`concurrency ${CONCURRENCY}, ${OPS} ops per round, ${ROUNDS} rounds, medians:`);
    console.log(`idempotent issue: ${issueOps.toFixed(0)} ops/s`);
    console.log(`idempotent issue, unbatched: ${aloneOps.toFixed(0)} ops/s (${(aloneOps / plainOps).toFixed(2)}x plain insert)`);
    console.log(`plain insert: ${plainOps.toFixed(0)} ops/s`);
    console.log(`ledger: ${(issueOps / plainOps).toFixed(2)}x plain insert`);
  } finally {
    await stopAll();
  }
}

runBench('bench:ledger', main);
