/**
 * npm run bench:mq: events per second into Kairos through a RabbitMQ source
 * and a NATS JetStream source, against HTTP batches (POST /v1/events with
 * 100 events, 8 in flight) on the same system in the same run.
 *
 * Each round puts N events in the broker first (the source is disabled), then
 * enables the source and times from its first stored event until all N are; the HTTP phase times
 * N events in batches. All three end in the same EventsService call; the
 * events enter no campaign, so what is measured is the ingest path itself
 * (mapping, validation, the event rows) and not Temporal. Rounds alternate
 * the order; medians are compared.
 *
 * BENCH_MQ_EVENTS (10000 per round), BENCH_ROUNDS (3); TEMPORAL_ADDRESS to use a given server, else an own dev server.
 */
import { performance } from 'node:perf_hooks';
import amqp from 'amqplib';
import { connect } from 'nats';
import { SourceDefinition } from '../src/ingest/source-definition';
import { SourcesRepository } from '../src/store/repositories/sources.repository';
import { createBenchDatabase } from './bench-database';
import { provideBenchTemporal } from './support/bench-temporal';
import { startInProcessKairos } from './support/in-process-kairos';
import { onRunEnd, runBench } from './support/run-lifetime';
import { median, runLimited, waitFor } from './support/stats';

const EVENTS = Number(process.env.BENCH_MQ_EVENTS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const HTTP_BATCH = 100;
const HTTP_IN_FLIGHT = 8;
const RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';
const NATS_SERVERS = ['127.0.0.1:4222'];
const tag = `mqb${process.pid}${Date.now().toString(36)}`;
/** The same parallelism as the HTTP phase: 8 batches of 100 in flight. */
const flow = { concurrency: HTTP_IN_FLIGHT, prefetch: 2000, maxBatch: HTTP_BATCH };
const mapping = { id: 'ref', type: { const: 'page.viewed' }, userId: 'who', properties: { n: 'n' } };
const message = (run: string, i: number) => ({ ref: `${run}-${i}`, who: `user-${i % 1000}`, n: i });

async function publishRabbit(queue: string, run: string): Promise<void> {
  const conn = await amqp.connect(RABBITMQ_URL);
  const ch = await conn.createConfirmChannel();
  await ch.assertQueue(queue, { durable: true, deadLetterExchange: `${queue}.dlx` });
  for (let i = 0; i < EVENTS; i++) {
    if (!ch.sendToQueue(queue, Buffer.from(JSON.stringify(message(run, i))), { persistent: true })) await new Promise((r) => ch.once('drain', r));
  }
  await ch.waitForConfirms();
  await conn.close();
}

async function publishNats(stream: string, subject: string, run: string): Promise<void> {
  const nc = await connect({ servers: NATS_SERVERS });
  const jsm = await nc.jetstreamManager();
  if (!(await jsm.streams.info(stream).catch(() => undefined))) await jsm.streams.add({ name: stream, subjects: [subject, `${subject}.dlq`] });
  const js = nc.jetstream();
  const enc = new TextEncoder();
  for (let i = 0; i < EVENTS; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, EVENTS - i) }, (_, k) => js.publish(subject, enc.encode(JSON.stringify(message(run, i + k))))));
  }
  await nc.close();
}

/** The run's queue, dead-letter exchange and stream, deleted whichever way the run ends. */
async function deleteBrokerObjects(queue: string, stream: string): Promise<void> {
  const conn = await amqp.connect(RABBITMQ_URL).catch(() => undefined);
  const ch = await conn?.createChannel();
  for (const q of [queue, `${queue}.dlq`]) await ch?.deleteQueue(q).catch(() => undefined);
  await ch?.deleteExchange(`${queue}.dlx`).catch(() => undefined);
  await conn?.close();
  const nc = await connect({ servers: NATS_SERVERS }).catch(() => undefined);
  await (await nc?.jetstreamManager())?.streams.delete(stream).catch(() => undefined);
  await nc?.close();
}

async function main(): Promise<void> {
  const queue = `${tag}-orders`;
  const stream = tag.toUpperCase();
  const subject = `${tag}.orders`;
  const temporal = await provideBenchTemporal();
  onRunEnd('Temporal', temporal.stop);
  const db = await createBenchDatabase(16);
  onRunEnd('bench database', db.drop);
  onRunEnd('RabbitMQ queue and NATS stream', () => deleteBrokerObjects(queue, stream));
  const kairos = await startInProcessKairos({ address: temporal.address, dataSource: db.dataSource, databaseUrl: db.url, worker: false });
  onRunEnd('Kairos API', kairos.stop);
  const sources = new SourcesRepository(db.dataSource);
  const defs = {
    rabbitmq: SourceDefinition.parse({ key: 'bench-rabbitmq', broker: 'rabbitmq', queue, enabled: false, ...flow, mapping }),
    nats: SourceDefinition.parse({ key: 'bench-nats', broker: 'nats', stream, subject, enabled: false, ...flow, mapping }),
  };
  for (const d of Object.values(defs)) await sources.create(d.key, d.broker, d);
  const stored = async (run: string) => ((await db.dataSource.query(`select count(*)::int as n from events where id like $1`, [`${run}-%`]))[0].n as number);
  const setEnabled = async (d: SourceDefinition, enabled: boolean) => void (await sources.replace(d.key, d.broker, { ...d, enabled }));

  let runs = 0;
  const viaBroker = async (broker: 'rabbitmq' | 'nats'): Promise<number> => {
    const run = `${tag}-${broker}-${runs++}`;
    if (broker === 'rabbitmq') await publishRabbit(queue, run);
    else await publishNats(stream, subject, run);
    await setEnabled(defs[broker], true);
    // Timed from the first stored event, so the consumer's start (NOTIFY, connecting) is not counted.
    let c0 = 0;
    await waitFor(async () => (c0 = await stored(run)) > 0, 60_000, 10);
    const t0 = performance.now();
    if (!(await waitFor(async () => (await stored(run)) >= EVENTS, 5 * 60_000, 20))) throw new Error(`${broker}: not all ${EVENTS} events stored`);
    const perSecond = (EVENTS - c0) / ((performance.now() - t0) / 1000);
    await setEnabled(defs[broker], false);
    return perSecond;
  };
  const viaHttp = async (): Promise<number> => {
    const run = `${tag}-http-${runs++}`;
    const t0 = performance.now();
    await runLimited(Math.ceil(EVENTS / HTTP_BATCH), HTTP_IN_FLIGHT, async (b) => {
      const events = Array.from({ length: Math.min(HTTP_BATCH, EVENTS - b * HTTP_BATCH) }, (_, k) => {
        const m = message(run, b * HTTP_BATCH + k);
        return { id: m.ref, type: 'page.viewed', userId: m.who, properties: { n: m.n } };
      });
      const res = await kairos.postEvents(events);
      if (res.status !== 202) throw new Error(`POST /v1/events answered ${res.status}`);
    });
    return EVENTS / ((performance.now() - t0) / 1000);
  };

  console.log(`${temporal.kind}; ${EVENTS} events per round, ${ROUNDS} rounds; sources: concurrency ${flow.concurrency}, prefetch ${flow.prefetch}, batches of ${flow.maxBatch}; HTTP: batches of ${HTTP_BATCH}, ${HTTP_IN_FLIGHT} in flight`);
  const rates = { http: [] as number[], rabbitmq: [] as number[], nats: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['http', 'rabbitmq', 'nats'] as const) : (['nats', 'rabbitmq', 'http'] as const);
    for (const which of order) rates[which].push(which === 'http' ? await viaHttp() : await viaBroker(which));
    console.log(`round ${round + 1}: HTTP ${rates.http[round].toFixed(0)}/s, RabbitMQ ${rates.rabbitmq[round].toFixed(0)}/s, NATS ${rates.nats[round].toFixed(0)}/s`);
  }
  const [h, r, n] = [median(rates.http), median(rates.rabbitmq), median(rates.nats)];
  console.log(`medians: HTTP batches ${h.toFixed(0)} events/s, RabbitMQ ${r.toFixed(0)} events/s, NATS ${n.toFixed(0)} events/s`);
  console.log(`mq: ${(r / h).toFixed(2)}x http (rabbitmq), ${(n / h).toFixed(2)}x http (nats)`);
}

runBench('bench:mq', main);
