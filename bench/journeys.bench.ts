/**
 * What a Kairos journey costs above raw Temporal. N users each send the
 * three orders of a "3 orders -> 10 points" campaign through the real API
 * (outbox, routing, signalWithStart, the journey workflow, the idempotent
 * ledger); the baseline sends three signalWithStart calls straight to a
 * trivial workflow that inserts one row. Same Temporal server, same database,
 * same concurrency, same run. Latency: from the request carrying a user's
 * last event to its reward row (created_at, same machine clock).
 *
 * The two are measured in alternating rounds (baseline first in odd rounds,
 * Kairos first in even ones), so a shared, noisy machine weighs on both
 * alike; the throughput ratio is the median of the rounds' ratios, the
 * latencies are taken over all rounds.
 *
 * BENCH_USERS (300, over all rounds), BENCH_ROUNDS (3), BENCH_CONCURRENCY (32);
 * TEMPORAL_ADDRESS to use a given server (e.g. scripts/temporal-server.sh
 * start), else an own dev server.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { CampaignsRepository } from '../src/store/repositories/campaigns.repository';
import { baselineEventSignal, baselineWorkflow } from './baseline/baseline.workflow';
import { startBaselineWorker } from './baseline/baseline-worker';
import { createBenchDatabase } from './bench-database';
import { provideBenchTemporal } from './support/bench-temporal';
import { startInProcessKairos, type InProcessKairos } from './support/in-process-kairos';
import { closeLeftovers } from './support/leftovers';
import { onRunEnd, runBench } from './support/run-lifetime';
import { median, percentile, runLimited, waitFor } from './support/stats';

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const USERS = Math.max(1, Math.round(Number(process.env.BENCH_USERS ?? 300) / ROUNDS));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const EVENTS_PER_USER = 3;
const DONE_TIMEOUT_MS = 10 * 60_000;
const CAMPAIGN = 'bench-three-orders';
/** In every user id: on a persistent server an earlier run's journeys must not take this run's events. */
const RUN = randomBytes(3).toString('hex');

const campaign = {
  key: CAMPAIGN,
  name: '3 orders -> 10 points',
  entry: { on: 'order.completed' },
  initial: 'collecting',
  states: {
    collecting: { transitions: [{ to: 'rewarded', when: `count('order.completed') >= ${EVENTS_PER_USER}` }] },
    rewarded: { actions: { steps: [{ type: 'points', amount: 10 }] }, end: true },
  },
};

interface RunResult {
  name: string;
  perSecond: number;
  latencies: number[];
}

/** Sends every user's events with `send`, then waits for all `users` rewards and reads their times from `rewardsSql`. */
async function measure(
  name: string,
  ds: DataSource,
  prefix: string,
  send: (userId: string, eventId: string) => Promise<void>,
  rewardsSql: string,
): Promise<RunResult> {
  const lastSentAt = new Map<string, number>();
  const started = Date.now();
  const t0 = performance.now();
  await runLimited(USERS, CONCURRENCY, async (i) => {
    const userId = `${prefix}-u${i}`;
    for (let e = 0; e < EVENTS_PER_USER; e++) {
      if (e === EVENTS_PER_USER - 1) lastSentAt.set(userId, Date.now());
      await send(userId, `${prefix}-u${i}-o${e}`);
    }
  });
  const countSql = `select count(*)::int as n from (${rewardsSql}) r`;
  const done = await waitFor(async () => (await ds.query(countSql, [`${prefix}-%`]))[0].n >= USERS, DONE_TIMEOUT_MS, 100);
  if (!done) throw new Error(`${name}: not all ${USERS} rewards within ${DONE_TIMEOUT_MS / 1000} s`);
  const rows: Array<{ user_id: string; at: Date }> = await ds.query(rewardsSql, [`${prefix}-%`]);
  if (rows.length !== USERS) throw new Error(`${name}: ${rows.length} rewards for ${USERS} users (duplicates?)`);
  const latencies = rows.map((r) => r.at.getTime() - lastSentAt.get(r.user_id)!);
  const lastReward = Math.max(...rows.map((r) => r.at.getTime()));
  const seconds = Math.max((lastReward - started) / 1000, (performance.now() - t0) / 1000 - 0.2);
  return { name, perSecond: USERS / seconds, latencies };
}

function viaApi(kairos: InProcessKairos) {
  return async (userId: string, eventId: string) => {
    const res = await kairos.postEvents([{ id: eventId, type: 'order.completed', userId, properties: { amount: 5 } }]);
    if (res.status !== 202) throw new Error(`POST /v1/events answered ${res.status}: ${JSON.stringify(res.body)}`);
  };
}

function viaSignalWithStart(client: Client, taskQueue: string) {
  return async (userId: string, eventId: string) => {
    await client.workflow.signalWithStart(baselineWorkflow, {
      workflowId: `baseline:${userId}`,
      taskQueue,
      args: [userId, EVENTS_PER_USER],
      signal: baselineEventSignal,
      signalArgs: [eventId],
    });
  };
}

const kairosRewards = `select user_id, created_at as at from rewards where campaign_key = '${CAMPAIGN}' and user_id like $1`;
const baselineRewards = `select user_id, created_at as at from bench_baseline_rewards where user_id like $1`;

function print(round: number, r: RunResult): void {
  const p = (q: number) => percentile(r.latencies, q).toFixed(0).padStart(5);
  console.log(`round ${round}  ${r.name.padEnd(9)} ${r.perSecond.toFixed(1).padStart(7)} journeys/s   p50 ${p(50)} ms   p99 ${p(99)} ms`);
}


async function main(): Promise<void> {
  const temporal = await provideBenchTemporal();
  onRunEnd('Temporal', temporal.stop);
  const db = await createBenchDatabase(40);
  onRunEnd('bench database', db.drop);
  await new CampaignsRepository(db.dataSource).saveActive(CAMPAIGN, campaign);
  const kairos = await startInProcessKairos({ address: temporal.address, dataSource: db.dataSource, databaseUrl: db.url });
  onRunEnd('Kairos (API and worker)', kairos.stop);
  const baselineQueue = `${kairos.taskQueue}-baseline`;
  const baseline = await startBaselineWorker(temporal.address, baselineQueue, db.dataSource);
  onRunEnd('baseline worker', baseline.stop);
  console.log(`${ROUNDS} rounds of ${USERS} users x ${EVENTS_PER_USER} events for each, ${CONCURRENCY} users at a time, on ${temporal.kind}`);

  // Warm both paths (bundles loaded, pools filled, caches primed) before measuring.
  const warm = async (prefix: string) => {
    const api = viaApi(kairos);
    const raw = viaSignalWithStart(kairos.client, baselineQueue);
    for (let e = 0; e < EVENTS_PER_USER; e++) {
      await api(`${prefix}-k`, `${prefix}-k-o${e}`);
      await raw(`${prefix}-b`, `${prefix}-b-o${e}`);
    }
  };
  await warm(`${RUN}-warm`);

  const baseRuns: RunResult[] = [];
  const kairosRuns: RunResult[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const runBase = async () => {
      const r = await measure('baseline', db.dataSource, `${RUN}-r${round}-base`, viaSignalWithStart(kairos.client, baselineQueue), baselineRewards);
      baseRuns.push(r);
      print(round, r);
    };
    const runKairos = async () => {
      const r = await measure('kairos', db.dataSource, `${RUN}-r${round}-kai`, viaApi(kairos), kairosRewards);
      kairosRuns.push(r);
      print(round, r);
    };
    if (round % 2 === 1) {
      await runBase();
      await runKairos();
    } else {
      await runKairos();
      await runBase();
    }
  }
  const all = (runs: RunResult[]) => runs.flatMap((r) => r.latencies);
  const throughputRatio = median(kairosRuns.map((k, i) => k.perSecond / baseRuns[i].perSecond));
  const p99Ratio = percentile(all(kairosRuns), 99) / percentile(all(baseRuns), 99);
  console.log(`p50 ${(percentile(all(kairosRuns), 50) / percentile(all(baseRuns), 50)).toFixed(2)}x baseline`);
  console.log(`journeys: ${throughputRatio.toFixed(2)}x baseline throughput, p99 ${p99Ratio.toFixed(2)}x baseline`);
  await closeLeftovers(kairos.client, [kairos.taskQueue, baselineQueue]);
}

runBench('bench:journeys', main);
