/**
 * Worker heap per cached journey: BENCH_JOURNEYS journeys parked on a one-hour timer,
 * all kept in one worker's cache (maxCachedWorkflows above that). Heap is
 * measured after forced GCs before and after they arrive.
 *
 * The worker runs in debugMode so workflow code executes on the main thread:
 * otherwise the journeys live in a worker thread's isolate, which
 * process.memoryUsage() of this thread does not see. (debugMode only lifts
 * the deadlock timeout; the journey code and its cache are the same.)
 *
 * Each cached journey keeps its own instance of every module in the workflow
 * bundle (the SDK's per-workflow module cache), so the bundle's contents are
 * what this mostly measures: with zod in it a journey cost about 1.2 MiB,
 * without it about 130 KiB (test/workflow-bundle.test.ts keeps it out). The
 * npm script still gives the heap room (8 GiB) so that a regression shows as
 * a number here rather than as a worker lost in garbage collection.
 *
 * BENCH_JOURNEYS (5000: about 2 minutes of starting journeys on 2 quiet
 * cores, 5 on a busy shared one; 10000 for the README's recorded run);
 * TEMPORAL_ADDRESS to use a given server.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { composeKairos } from '../src/composition/compose-kairos';
import { loadConfig } from '../src/config/config';
import { CampaignsRepository } from '../src/store/repositories/campaigns.repository';
import { createBenchDatabase } from './bench-database';
import { provideBenchTemporal } from './support/bench-temporal';
import { quietRuntime } from './support/in-process-kairos';
import { PROOF_WORKFLOW_BUNDLE } from './support/journey-bundle';
import { closeLeftovers } from './support/leftovers';
import { onRunEnd, runBench } from './support/run-lifetime';
import { runLimited, sleep, waitFor } from './support/stats';

const JOURNEYS = Number(process.env.BENCH_JOURNEYS ?? 5000);
const WARM = 200;
const CAMPAIGN = 'bench-wait-an-hour';
const MiB = 1024 * 1024;

const campaign = {
  key: CAMPAIGN,
  name: 'waits an hour',
  entry: { on: 'user.signed_up' },
  initial: 'waiting',
  states: {
    waiting: { transitions: [{ to: 'done', after: 'PT1H' }] },
    done: { end: true },
  },
};

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 3; i++) collect();
}

async function settledHeap(): Promise<{ heap: number; rss: number }> {
  await sleep(1000);
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

async function main(): Promise<void> {
  const temporal = await provideBenchTemporal();
  onRunEnd('Temporal', temporal.stop);
  const db = await createBenchDatabase(10);
  onRunEnd('bench database', db.drop);
  const version = await new CampaignsRepository(db.dataSource).saveActive(CAMPAIGN, campaign);
  quietRuntime();
  const taskQueue = `kairos-memory-${process.pid}`;
  const config = loadConfig({ TEMPORAL_ADDRESS: temporal.address, DATABASE_URL: db.url, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn' });
  const kairos = await composeKairos(config, { dataSource: db.dataSource });
  onRunEnd('Temporal client', () => kairos.close());
  const { client, journeys } = kairos;
  const native = await NativeConnection.connect({ address: temporal.address });
  const worker = await Worker.create({
    connection: native,
    namespace: 'default',
    taskQueue,
    workflowBundle: { codePath: PROOF_WORKFLOW_BUNDLE },
    activities: kairos.activities,
    maxCachedWorkflows: JOURNEYS + WARM + 1000,
    debugMode: true,
  });
  const running = worker.run();
  onRunEnd('worker', async () => {
    // On SIGINT/SIGTERM the SDK's runtime has begun the shutdown already.
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    await native.close();
  });

  const enter = (from: number, count: number) =>
    runLimited(count, 32, async (i) => {
      // Ids unique per run: a journey of an earlier run on a persistent server would take the signal instead.
      const userId = `m-${taskQueue}-${from + i}`;
      if ((from + i) % 1000 === 0) console.log(`  ${from + i} journeys started, ${worker.getStatus().numCachedWorkflows} cached`);
      await journeys.deliver({
        kind: 'start',
        workflowId: journeys.idOf(CAMPAIGN, userId),
        campaignKey: CAMPAIGN,
        campaignVersion: version,
        userId,
        event: { version: 1, id: `signup-${userId}`, type: 'user.signed_up', userId, occurredAt: new Date().toISOString(), properties: {} },
      });
    });
  const cachedAtLeast = async (n: number) => {
    const ok = await waitFor(async () => {
      const s = worker.getStatus();
      return s.numCachedWorkflows >= n && s.numInFlightWorkflowActivations === 0;
    }, 15 * 60_000, 500);
    if (!ok) throw new Error(`worker cache did not reach ${n} journeys (has ${worker.getStatus().numCachedWorkflows})`);
  };

  // The first journeys pay for the shared workflow context and warm caches: not what one more journey costs.
  await enter(0, WARM);
  await cachedAtLeast(WARM);
  const before = await settledHeap();

  const started = Date.now();
  await enter(WARM, JOURNEYS);
  await cachedAtLeast(WARM + JOURNEYS);
  const seconds = (Date.now() - started) / 1000;
  const after = await settledHeap();
  const cached = worker.getStatus().numCachedWorkflows;

  const perJourney = (after.heap - before.heap) / JOURNEYS;
  const rssPerJourney = (after.rss - before.rss) / JOURNEYS;
  console.log(`${JOURNEYS} journeys waiting on a PT1H timer started in ${seconds.toFixed(0)} s on ${temporal.kind}; worker cache holds ${cached}`);
  console.log(`heap used: ${(before.heap / MiB).toFixed(1)} MiB before, ${(after.heap / MiB).toFixed(1)} MiB after: ${(perJourney / 1024).toFixed(1)} KiB per cached journey`);
  console.log(`process RSS (heap + SDK core's native cache): ${(before.rss / MiB).toFixed(0)} MiB before, ${(after.rss / MiB).toFixed(0)} MiB after: ${(rssPerJourney / 1024).toFixed(1)} KiB per journey`);
  console.log(`memory: ${Math.floor((1024 * MiB) / perJourney)} cached journeys per GiB`);
  // A persistent server (scripts/temporal-server.sh) would keep them waiting for an hour, then for a worker that is gone.
  await closeLeftovers(client, [taskQueue], 0);
}

runBench('bench:memory', main);
