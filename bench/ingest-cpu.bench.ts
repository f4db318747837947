/**
 * Where POST /v1/events spends CPU beside the Temporal call it ends in, with
 * no worker: bench:ingest measures rates with the worker running, and its
 * ratios move with how the worker's catch-up shares the two cores. Here
 * journeys are started and nobody runs them, so each phase costs only the
 * ingestion path: single events through the API, batches through the API,
 * and raw signalWithStart through the same client (the peer), each with 64
 * in flight, in the order BENCH_MODES gives (default api,raw,batch,api,raw,batch).
 *
 * Each phase prints its rate, the CPU one event cost in this process (user
 * and system), its share spent in garbage collection pauses, and what it
 * cost the Temporal server and PostgreSQL. With BENCH_PROFILE_DIR, each
 * phase also writes a V8 CPU profile there (open it in Chrome's DevTools,
 * Performance tab), sampled every 200 µs: the profiler costs CPU of its own,
 * so compare profiled phases with each other, not with unprofiled ones.
 *
 * BENCH_EVENTS (3000 per phase); TEMPORAL_ADDRESS to use a given server.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { CampaignsRepository } from '../src/store/repositories/campaigns.repository';
import { createBenchDatabase } from './bench-database';
import { provideBenchTemporal } from './support/bench-temporal';
import { cpuPerUnit, cpuSnapshot } from './support/cpu-by-process';
import { startInProcessKairos, type InProcessKairos } from './support/in-process-kairos';
import { entryCampaign, expectAccepted, postedEvent, startRaw } from './support/ingest-load';
import { onRunEnd, runBench } from './support/run-lifetime';
import { runLimited, sleep } from './support/stats';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 3000);
const MODES = (process.env.BENCH_MODES ?? 'api,raw,batch,api,raw,batch').split(',').map((m) => m.trim());
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
const IN_FLIGHT = 64;
const BATCH = 50;
const WARMUP = 500;
const CAMPAIGN = 'bench-ingest-cpu';
const TYPE = 'order.completed';

type Mode = 'api' | 'batch' | 'raw';
const isMode = (m: string): m is Mode => m === 'api' || m === 'batch' || m === 'raw';

/** Main-thread GC pauses since the last reset, in ms (V8 collects partly on helper threads too). */
function gcPauses() {
  let ms = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) ms += entry.duration;
  }).observe({ entryTypes: ['gc'] });
  return { reset: () => (ms = 0), get: () => ms };
}

/** V8's sampling profiler on this process, every 200 µs; each stop writes the phase's profile into `dir`. */
async function startProfiler(dir: string) {
  mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  return {
    start: () => session.post('Profiler.start'),
    async stopInto(file: string) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(path.join(dir, file), JSON.stringify(profile));
    },
  };
}

function sender(kairos: InProcessKairos) {
  let seq = 0;
  return async (mode: Mode, n: number): Promise<void> => {
    const tag = `${mode}${seq++}`;
    const event = (i: number) => postedEvent(`${tag}-e${i}`, `${tag}-u${i}`, TYPE);
    if (mode === 'api') return runLimited(n, IN_FLIGHT, async (i) => expectAccepted(await kairos.postEvents([event(i)]), 1));
    if (mode === 'batch') {
      return runLimited(Math.ceil(n / BATCH), IN_FLIGHT, async (b) => {
        const ids = Array.from({ length: Math.min(BATCH, n - b * BATCH) }, (_, j) => b * BATCH + j);
        expectAccepted(await kairos.postEvents(ids.map(event)), ids.length);
      });
    }
    return runLimited(n, IN_FLIGHT, (i) => startRaw(kairos, CAMPAIGN, TYPE, `${tag}-e${i}`, `${tag}-u${i}`));
  };
}

async function main(): Promise<void> {
  const unknown = MODES.filter((m) => !isMode(m));
  if (unknown.length) throw new Error(`BENCH_MODES: unknown mode(s) ${unknown.join(', ')}; use api, batch and raw`);
  const temporal = await provideBenchTemporal();
  onRunEnd('Temporal', temporal.stop);
  const db = await createBenchDatabase(16);
  onRunEnd('bench database', db.drop);
  await new CampaignsRepository(db.dataSource).saveActive(CAMPAIGN, entryCampaign(CAMPAIGN, TYPE));
  const kairos = await startInProcessKairos({ address: temporal.address, dataSource: db.dataSource, databaseUrl: db.url, worker: false });
  onRunEnd('Kairos API', kairos.stop);
  const send = sender(kairos);
  const gc = gcPauses();
  const profiler = PROFILE_DIR ? await startProfiler(PROFILE_DIR) : undefined;
  console.log(`${temporal.kind}; no worker; ${EVENTS} events per phase, ${IN_FLIGHT} in flight, batches of ${BATCH}`);
  for (const mode of ['api', 'raw', 'batch'] as const) await send(mode, WARMUP);

  for (const [i, mode] of (MODES as Mode[]).entries()) {
    await sleep(2000); // the previous phase's stragglers (outcome records, relay) settle first
    await profiler?.start();
    const before = cpuSnapshot();
    const cpu0 = process.cpuUsage();
    gc.reset();
    const t0 = performance.now();
    await send(mode, EVENTS);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const after = cpuSnapshot();
    await profiler?.stopInto(`${i + 1}-${mode}.cpuprofile`);
    const perEvent = (us: number) => (us / 1000 / EVENTS).toFixed(3);
    console.log(
      `${mode.padEnd(5)} ${(EVENTS / seconds).toFixed(0)} events/s; this process ${perEvent(cpu.user + cpu.system)} ms CPU per event ` +
        `(user ${perEvent(cpu.user)}, system ${perEvent(cpu.system)}, GC pauses ${(gc.get() / EVENTS).toFixed(3)}); ${cpuPerUnit(before, after, EVENTS, 'event')}`,
    );
  }
}

runBench('bench:ingest-cpu', main);
