/**
 * npm run chaos: Kairos under fire, on real parts (the PostgreSQL-backed
 * Temporal server of scripts/temporal-server.sh, the local PostgreSQL behind a
 * TCP proxy we can cut, the real API in this process, the real worker as a
 * child process we can SIGKILL, RabbitMQ and NATS restarted by scripts/brokers.sh). Loopback only; every loop is bounded and the
 * whole run stops itself after CHAOS_DEADLINE_MIN (15) minutes. However it
 * ends (done, failed, deadline, SIGINT/SIGTERM, its parent gone) it stops what
 * it started: the worker child, the proxy, its database and the Temporal
 * server, unless that server was already running before the run.
 *
 * Sizes: CHAOS_USERS (500 for the worker kills; the other scenarios take
 * 20-50% of it), CHAOS_LONG_EVENTS (10000): about 5 minutes on 2 quiet cores
 * once the server is built (`npm run temporal:server:build`, once). The
 * sizes of the README's recorded run: CHAOS_USERS=1000 CHAOS_LONG_EVENTS=20000.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { openDataSource } from '../../src/store/data-source';
import { CampaignsRepository } from '../../src/store/repositories/campaigns.repository';
import { TcpProxy } from '../../test/support/tcp-proxy';
import { createBenchDatabase } from '../bench-database';
import { startInProcessKairos } from '../support/in-process-kairos';
import type { ChaosContext } from './context';
import { threeOrdersCampaign } from './load';
import { onRunEnd, runBench } from '../support/run-lifetime';
import { closeTemporalControl, temporalServer } from './temporal-control';
import { printVerdict, type Verdict } from './verdict';
import { WorkerSupervisor } from './worker-supervisor';
import { brokerRestart } from './scenarios/broker-restart';
import { cancels } from './scenarios/cancels';
import { duplicates } from './scenarios/duplicates';
import { longLife, marathonCampaign } from './scenarios/long-life';
import { postgresDown } from './scenarios/postgres-down';
import { temporalRestart } from './scenarios/temporal-restart';
import { workerKill } from './scenarios/worker-kill';

const DEADLINE_MIN = Number(process.env.CHAOS_DEADLINE_MIN ?? 15);
const USERS = Number(process.env.CHAOS_USERS ?? 500);
const LONG_EVENTS = Number(process.env.CHAOS_LONG_EVENTS ?? 10_000);
const ONLY = process.env.CHAOS_ONLY?.split(',');

async function main(): Promise<void> {
  const startedAt = Date.now();
  const tag = `c${randomBytes(3).toString('hex')}`;
  const wasRunning = (await temporalServer('status')).ok;
  // Registered before the start: a run cut short during a long first start (a build) still stops what it began.
  if (!wasRunning) onRunEnd('Temporal server (scripts/temporal-server.sh stop)', () => temporalServer('stop'));
  onRunEnd('temporal-server.sh runs in flight', closeTemporalControl);
  if (!wasRunning) console.log('starting the Temporal server (scripts/temporal-server.sh start; the first one builds it, 10-20 minutes)');
  const up = await temporalServer('start');
  if (!up.ok) throw new Error(`could not start the Temporal server: ${up.out}`);
  const address = up.stdout.split('\n').pop()!;
  console.log(`chaos run ${tag} on the Temporal server at ${address} (PostgreSQL-backed)`);

  const db = await createBenchDatabase(10);
  onRunEnd('chaos database', db.drop);
  const target = new URL(db.url);
  const proxy = new TcpProxy(Number(target.port || 5432), target.hostname);
  await proxy.start();
  onRunEnd('PostgreSQL proxy', () => proxy.stop());
  const proxied = new URL(db.url);
  proxied.port = String(proxy.port);

  const campaignKey = (scenario: string) => `chaos-${tag}-${scenario}`;
  const campaigns = new CampaignsRepository(db.dataSource);
  for (const s of ['worker-kill', 'temporal-restart', 'postgres-down', 'duplicates', 'cancels', 'rabbitmq-restart', 'nats-restart']) {
    await campaigns.saveActive(campaignKey(s), threeOrdersCampaign(campaignKey(s), s));
  }
  await campaigns.saveActive(campaignKey('long-life'), marathonCampaign(campaignKey('long-life'), LONG_EVENTS));

  const taskQueue = `kairos-chaos-${tag}`;
  const worker = new WorkerSupervisor({ DATABASE_URL: proxied.toString(), TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue });
  worker.start();
  onRunEnd('worker child', () => worker.stop());
  await worker.whenReady(120_000);

  const apiDs = await openDataSource({ url: proxied.toString(), poolSize: 20 });
  onRunEnd('API data source', () => apiDs.destroy().catch(() => undefined));
  // Retries capped at 5 s (production: 60 s) so a run converges in minutes after each outage.
  const kairos = await startInProcessKairos({
    address,
    dataSource: apiDs,
    databaseUrl: proxied.toString(),
    worker: false,
    taskQueue,
    outbox: { maxRetryMs: 5000, firstRetryMs: 500, relayIntervalMs: 500 },
  });
  onRunEnd('Kairos API', () => kairos.stop());
  const connection = await Connection.connect({ address });
  onRunEnd('Temporal client', () => connection.close());
  const ctx: ChaosContext = { kairos, worker, proxy, ds: db.dataSource, client: new Client({ connection }), tag, campaignKey };

  const run = async (name: string, scenario: () => Promise<Verdict>): Promise<Verdict> => {
    const t = Date.now();
    let v: Verdict;
    try {
      v = await scenario();
    } catch (err) {
      v = { name: `${name}: ${(err as Error).message}`, sent: 0, accepted: 0, applied: 0, expected: 0, issued: 0, duplicated: 0, lost: 0, cancelLeaks: 0, failedWorkflows: 0, notes: [], held: false };
    }
    printVerdict(v);
    console.log(`        (${name}, ${((Date.now() - t) / 1000).toFixed(0)} s)`);
    return v;
  };
  const wanted = (name: string) => !ONLY || ONLY.includes(name);
  // The marathon is one journey paced by its own progress, mostly waiting: it runs alongside the
  // others (and through their faults) so the whole run fits in its 15 minutes.
  const marathon = wanted('long-life') ? run('long-life', () => longLife(ctx, LONG_EVENTS)) : undefined;
  const scenarios: Array<[string, () => Promise<Verdict>]> = [
    ['worker-kill', () => workerKill(ctx, USERS, 20)],
    ['temporal-restart', () => temporalRestart(ctx, Math.round(USERS * 0.3), 5)],
    ['postgres-down', () => postgresDown(ctx, Math.round(USERS * 0.2), 60_000)],
    ['duplicates', () => duplicates(ctx, Math.round(USERS * 0.3))],
    ['cancels', () => cancels(ctx, Math.round(USERS * 0.5))],
    ['rabbitmq-restart', () => brokerRestart(ctx, 'rabbitmq', Math.round(USERS * 0.3))],
    ['nats-restart', () => brokerRestart(ctx, 'nats', Math.round(USERS * 0.3))],
  ];
  const verdicts: Verdict[] = [];
  for (const [name, scenario] of scenarios) if (wanted(name)) verdicts.push(await run(name, scenario));
  if (marathon) verdicts.push(await marathon);
  const held = verdicts.filter((v) => v.held).length;
  const lost = verdicts.reduce((n, v) => n + v.lost, 0);
  const duplicated = verdicts.reduce((n, v) => n + v.duplicated, 0);
  console.log(`total ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  console.log(`chaos: ${held}/${verdicts.length} scenarios held, lost ${lost}, duplicated ${duplicated}`);
  if (held !== verdicts.length) process.exitCode = 1;
}

// The last resort of "it stops by itself": whatever hangs, the run ends (exit code 2), its children stopped.
runBench('chaos', main, { deadlineMin: DEADLINE_MIN });
