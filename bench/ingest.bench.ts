/**
 * What POST /v1/events costs above the Temporal call it ends in. Every event
 * enters one active campaign for a new user, so each is one signalWithStart
 * of a journey; the API adds validation, the event and outbox rows in
 * PostgreSQL, routing and recording the outcome. The peer calls
 * signalWithStart for the same journeys (same workflow, options and
 * worker, through the same client) with the same 64 in flight, on the same
 * server in the same run. Rounds alternate and wait until the worker has
 * caught up (every journey logged its entry), so no phase pays for
 * another's backlog. Each round's API rate is divided by the raw rate of the
 * same round (the server fills up and the machine's load drifts from round
 * to round), and the medians of those paired ratios are reported.
 *
 * Then 200 more active campaigns on other event types: routing must not
 * make the same events slower. The server is fuller by then, so the raw
 * calls are measured again beside them and the ratios compared.
 *
 * Every event is a new journey on the server, so the run's size is its
 * duration: the defaults (500 events per phase, 3 rounds, 300 to warm up:
 * about 8,100 journeys) keep each timed phase several seconds long and the
 * run within minutes on 2 cores. Larger runs:
 * BENCH_EVENTS (500 per round and phase), BENCH_ROUNDS (3), BENCH_BATCH (50
 * events per batch request); TEMPORAL_ADDRESS to use a given server, else an
 * own dev server. BENCH_VERBOSE=1 prints, after each phase, the CPU one event
 * cost in this process (API, worker and client), Temporal and PostgreSQL;
 * BENCH_WORKER=process runs the worker in a process of its own.
 */
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { CampaignsRepository } from '../src/store/repositories/campaigns.repository';
import { createBenchDatabase } from './bench-database';
import { provideBenchTemporal } from './support/bench-temporal';
import { startInProcessKairos, type InProcessKairos } from './support/in-process-kairos';
import { onRunEnd, runBench } from './support/run-lifetime';
import { cpuPerUnit, cpuSnapshot as processCpu } from './support/cpu-by-process';
import { entryCampaign, expectAccepted, postedEvent, startRaw } from './support/ingest-load';
import { startWorkerProcess } from './support/start-worker-process';
import { median, runLimited, waitFor } from './support/stats';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH = Number(process.env.BENCH_BATCH ?? 50);
const IN_FLIGHT = 64;
/** BENCH_VERBOSE=1: after each phase, the CPU one event cost in this process (API, worker, client), Temporal and PostgreSQL. */
const VERBOSE = process.env.BENCH_VERBOSE === '1';
/** BENCH_WORKER=process: the worker in a process of its own, as a deployment runs it; default: in this one, as `npm start`. */
const WORKER_APART = process.env.BENCH_WORKER === 'process';
/** Warm-up events for each path (API, raw signalWithStart). */
const WARMUP = Math.min(300, EVENTS);
const OTHER_CAMPAIGNS = 200;
const CAMPAIGN = 'bench-ingest';
const TYPE = 'order.completed';


let started = 0;
/** Events per second for `n` events sent by `send(0..n-1)` (`per` events per call). */
async function rate(n: number, per: number, send: (i: number) => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await runLimited(Math.ceil(n / per), IN_FLIGHT, send);
  const perSecond = n / ((performance.now() - t0) / 1000);
  started += n;
  return perSecond;
}

/**
 * Waits until every journey started so far has logged its entry, or the log
 * has stopped growing for 5 s: the next phase starts with an idle worker.
 */
async function settle(ds: DataSource): Promise<void> {
  let last = -1;
  let since = Date.now();
  await waitFor(async () => {
    const [{ n }]: Array<{ n: number }> = await ds.query(`select count(*)::int as n from journey_transitions`);
    if (n !== last) [last, since] = [n, Date.now()];
    return n >= started || Date.now() - since > 5_000;
  }, 5 * 60_000, 250);
  if (last < started) console.log(`  (${started - last} of ${started} journeys had not logged their entry when the log went quiet)`);
}

const event = (id: string, userId: string) => postedEvent(id, userId, TYPE);

function phases(kairos: InProcessKairos) {
  let seq = 0;
  return {
    single: (n: number) => {
      const tag = `s${seq++}`;
      return rate(n, 1, async (i) => expectAccepted(await kairos.postEvents([event(`${tag}-e${i}`, `${tag}-u${i}`)]), 1));
    },
    batch: (n: number) => {
      const tag = `b${seq++}`;
      return rate(n, BATCH, async (b) => {
        const events = Array.from({ length: Math.min(BATCH, n - b * BATCH) }, (_, j) => event(`${tag}-e${b * BATCH + j}`, `${tag}-u${b * BATCH + j}`));
        expectAccepted(await kairos.postEvents(events), events.length);
      });
    },
    peer: (n: number) => {
      const tag = `p${seq++}`;
      return rate(n, 1, (i) => startRaw(kairos, CAMPAIGN, TYPE, `${tag}-e${i}`, `${tag}-u${i}`));
    },
  };
}

async function main(): Promise<void> {
  const temporal = await provideBenchTemporal();
  onRunEnd('Temporal', temporal.stop);
  // A pool smaller than the requests in flight: PostgreSQL on a shared machine allows about 100 connections in all.
  const db = await createBenchDatabase(16);
  onRunEnd('bench database', db.drop);
  const campaigns = new CampaignsRepository(db.dataSource);
  await campaigns.saveActive(CAMPAIGN, entryCampaign(CAMPAIGN, TYPE));
  let workerPid: number | undefined;
  let kairos: InProcessKairos;
  if (WORKER_APART) {
    const taskQueue = `kairos-bench-${process.pid}`;
    const worker = await startWorkerProcess({ address: temporal.address, databaseUrl: db.url, taskQueue });
    onRunEnd('worker process', worker.stop);
    workerPid = worker.pid;
    kairos = await startInProcessKairos({ address: temporal.address, dataSource: db.dataSource, databaseUrl: db.url, worker: false, taskQueue });
    onRunEnd('Kairos API', kairos.stop);
  } else {
    kairos = await startInProcessKairos({ address: temporal.address, dataSource: db.dataSource, databaseUrl: db.url });
    onRunEnd('Kairos (API and worker)', kairos.stop);
  }
  const cpuSnapshot = () => processCpu(workerPid);
  const run = phases(kairos);
  console.log(`${temporal.kind}; ${EVENTS} events per round, ${ROUNDS} rounds, ${IN_FLIGHT} in flight, batches of ${BATCH}`);
  console.log(`warming up (${WARMUP} events through the API, ${WARMUP} raw)`);

  const t = performance.now();
  await run.single(WARMUP);
  await run.peer(WARMUP);
  await settle(db.dataSource);
  console.log(`warm-up done in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  /** One timed phase, then the wait for the worker; with BENCH_VERBOSE, what one event cost until then, wherever it was spent. */
  const phase = async (name: 'single' | 'peer' | 'batch', into: number[]) => {
    const before = VERBOSE ? cpuSnapshot() : null;
    const loop0 = performance.eventLoopUtilization();
    into.push(await run[name](EVENTS));
    const loop = performance.eventLoopUtilization(loop0);
    const timed = VERBOSE ? cpuSnapshot() : null;
    await settle(db.dataSource);
    if (VERBOSE) {
      console.log(
        `  ${name}: timed part ${cpuPerUnit(before, timed, EVENTS, 'event')}, this process's event loop busy ${(loop.utilization * 100).toFixed(0)}%; ` +
          `with the worker's catch-up ${cpuPerUnit(before, cpuSnapshot(), EVENTS, 'event')}`,
      );
    }
  };

  const single: number[] = [];
  const batch: number[] = [];
  const peer: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['single', 'peer', 'batch'] as const) : (['peer', 'batch', 'single'] as const);
    for (const which of order) await phase(which, { single, peer, batch }[which]);
    console.log(
      `round ${round + 1}: API single ${single[round].toFixed(0)}/s, API batches ${batch[round].toFixed(0)}/s, signalWithStart ${peer[round].toFixed(0)}/s ` +
        `(single ${(single[round] / peer[round]).toFixed(2)}x, batches ${(batch[round] / peer[round]).toFixed(2)}x)`,
    );
  }

  console.log(`activating ${OTHER_CAMPAIGNS} more campaigns on other event types`);
  for (let i = 0; i < OTHER_CAMPAIGNS; i++) await campaigns.saveActive(`bench-other-${i}`, entryCampaign(`bench-other-${i}`, `other.event.${i}`));
  // The API hears of them by NOTIFY; the last one routed means all are.
  const routed = await waitFor(async () => {
    const res = await kairos.postEvents([{ id: `probe-${Date.now()}`, type: `other.event.${OTHER_CAMPAIGNS - 1}`, userId: 'probe' }]);
    return ((res.body as { results?: Array<{ journeys: string[] }> }).results?.[0]?.journeys.length ?? 0) === 1;
  }, 30_000, 250);
  if (!routed) throw new Error('the 200 campaigns never reached the routing index');
  started += 1;
  await settle(db.dataSource);
  // The server holds more journeys with every phase, and later phases run slower for it whatever
  // the API does: each round here measures the raw calls again beside the API, and routing is flat
  // when the API's ratio to them is the same as with one campaign.
  const many: number[] = [];
  const peerLate: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ([['single', many], ['peer', peerLate]] as const) : ([['peer', peerLate], ['single', many]] as const);
    for (const [which, into] of order) await phase(which, into);
    console.log(
      `round ${round + 1} with ${OTHER_CAMPAIGNS + 1} active campaigns: API single ${many[round].toFixed(0)}/s, signalWithStart ${peerLate[round].toFixed(0)}/s ` +
        `(${(many[round] / peerLate[round]).toFixed(2)}x)`,
    );
  }

  const paired = (api: number[], raw: number[]) => median(api.map((rate, r) => rate / raw[r]));
  const [singleRatio, batchRatio, manyRatio] = [paired(single, peer), paired(batch, peer), paired(many, peerLate)];
  console.log(
    `medians: API single ${median(single).toFixed(0)} events/s, API batches of ${BATCH} ${median(batch).toFixed(0)} events/s, ` +
      `raw signalWithStart ${median(peer).toFixed(0)} events/s; with ${OTHER_CAMPAIGNS + 1} campaigns: API single ${median(many).toFixed(0)} events/s, raw ${median(peerLate).toFixed(0)} events/s`,
  );
  console.log(`batches: ${batchRatio.toFixed(2)}x raw signalWithStart`);
  console.log(
    `${OTHER_CAMPAIGNS + 1} active campaigns: API single ${manyRatio.toFixed(2)}x raw signalWithStart measured beside it; ` +
      `routing: ${(manyRatio / singleRatio).toFixed(2)}x the 1-campaign ratio`,
  );
  console.log(`ingest: ${singleRatio.toFixed(2)}x raw signalWithStart`);
}

runBench('bench:ingest', main);
