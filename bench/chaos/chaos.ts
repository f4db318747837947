/**
 * npm run chaos: Kairos under fire, on real parts (the PostgreSQL-backed
 * Temporal server of scripts/temporal-server.sh, the local PostgreSQL behind a
 * TCP proxy we can cut, the real API in this process, the real worker as a
 * child process we can SIGKILL, RabbitMQ and NATS restarted by scripts/brokers.sh). Loopback only; every loop is bounded and the
 * whole run stops itself after CHAOS_DEADLINE_MIN (15) minutes.
 *
 * Sizes: CHAOS_USERS (1000 for the worker kills), CHAOS_LONG_EVENTS (20000).
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
import { temporalServer } from './temporal-control';
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
const USERS = Number(process.env.CHAOS_USERS ?? 1000);
const LONG_EVENTS = Number(process.env.CHAOS_LONG_EVENTS ?? 20_000);
const ONLY = process.env.CHAOS_ONLY?.split(',');
/** Known to the deadline handler, so the worker child does not outlive a run that is cut short. */
let supervisor: WorkerSupervisor | undefined;

async function main(): Promise<void> {
  const startedAt = Date.now();
  const tag = `c${randomBytes(3).toString('hex')}`;
  const wasRunning = (await temporalServer('status')).ok;
  const up = await temporalServer('start');
  if (!up.ok) throw new Error(`could not start the Temporal server: ${up.out}`);
  const address = up.stdout.split('\n').pop()!;
  console.log(`chaos run ${tag} on the Temporal server at ${address} (PostgreSQL-backed)`);

  const stops: Array<() => Promise<unknown>> = [];
  if (!wasRunning) stops.push(() => temporalServer('stop'));
  const db = await createBenchDatabase(10);
  stops.push(db.drop);
  try {
    const target = new URL(db.url);
    const proxy = new TcpProxy(Number(target.port || 5432), target.hostname);
    await proxy.start();
    stops.push(() => proxy.stop());
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
    supervisor = worker;
    worker.start();
    stops.push(() => worker.stop());
    await worker.whenReady(120_000);

    const apiDs = await openDataSource({ url: proxied.toString(), poolSize: 20 });
    stops.push(() => apiDs.destroy().catch(() => undefined));
    // Retries capped at 5 s (production: 60 s) so a run converges in minutes after each outage.
    const kairos = await startInProcessKairos({
      address,
      dataSource: apiDs,
      databaseUrl: proxied.toString(),
      worker: false,
      taskQueue,
      outbox: { maxRetryMs: 5000, firstRetryMs: 500, relayIntervalMs: 500 },
    });
    stops.push(() => kairos.stop());
    const connection = await Connection.connect({ address });
    stops.push(() => connection.close());
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
  } finally {
    for (const s of stops.reverse()) await s().catch((err: unknown) => console.error('while stopping:', err));
  }
}

// The last resort of "it stops by itself": whatever hangs, the run ends.
setTimeout(() => {
  console.error(`chaos: deadline of ${DEADLINE_MIN} minutes passed; stopping`);
  void supervisor?.stop();
  supervisor?.kill();
  process.exit(2);
}, DEADLINE_MIN * 60_000).unref();

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  // Everything is stopped by now; a lingering native handle must not keep the run alive.
  .finally(() => process.exit());
