import { NatsPublisher, RabbitPublisher, sourceMetric, uniqueName } from './support/brokers';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';
import { exclusiveSuite } from './support/exclusive';

const FLOOD = 5000;
const QUIET = 20;
/** Loose on purpose: a source starved behind the flood would take as long as the flood, orders of magnitude more. */
const SAME_ORDER = 10;
/**
 * The least time the flooded run is held to: the quiet run alone takes a few
 * hundred milliseconds, so one pause of a loaded machine (the other jest
 * worker compiling, a GC) would otherwise read as starvation. A source
 * starved behind the flood takes as long as the flood: minutes.
 */
const FLOODED_FLOOR_MS = 10_000;

interface Broker {
  name: 'rabbitmq' | 'nats';
  /**
   * Where a source's messages go: a queue, or a stream + subject. `publish` waits for the broker's confirm of one message;
   * `publishMany` sends many pipelined and resolves once the broker has confirmed every one.
   */
  place(): Promise<{ source: Record<string, unknown>; publish(body: unknown): Promise<unknown>; publishMany(bodies: readonly unknown[]): Promise<void> }>;
  close(): Promise<void>;
}

const rabbit = (): Broker => {
  const p = new RabbitPublisher();
  const queues: string[] = [];
  return {
    name: 'rabbitmq',
    async place() {
      const queue = uniqueName('kairos-test-iso');
      queues.push(queue);
      return { source: { broker: 'rabbitmq', queue }, publish: (body) => p.publish(queue, body), publishMany: (bodies) => p.publishMany(queue, bodies) };
    },
    async close() {
      await p.deleteQueues(...queues);
      await p.close();
    },
  };
};

const nats = (): Broker => {
  const p = new NatsPublisher();
  const streams: string[] = [];
  return {
    name: 'nats',
    async place() {
      const stream = uniqueName('KAIROS_ISO');
      streams.push(stream);
      const subject = `${stream.toLowerCase()}.events`;
      await p.createStream(stream, [subject, `${subject}.dlq`]);
      return { source: { broker: 'nats', stream, subject }, publish: (body) => p.publish(subject, body), publishMany: (bodies) => p.publishMany(subject, bodies, 200) };
    },
    async close() {
      await p.deleteStreams(...streams);
      await p.close();
    },
  };
};

// The brokers are restarted mid-stream by these suites: one broker suite at a time (see holdExclusive).
exclusiveSuite('brokers');

/**
 * Isolation: each source has its own connection, consumer and concurrency,
 * so a flooded source does not starve another. The quiet source's events are
 * timed alone and then while the other source works through a flood, in the
 * same run: the quiet run must end while the flood has made little progress,
 * and within one order of magnitude of its time alone (or FLOODED_FLOOR_MS).
 */
describe.each([rabbit, nats])('sources are kept apart (%#)', (makeBroker) => {
  let sut: SystemUnderTest;
  const broker = makeBroker();
  beforeAll(async () => {
    sut = await startSystemUnderTest();
  });
  afterAll(async () => {
    await sut?.stop();
    await broker.close();
  });

  const mapping = { id: 'id', type: { const: 'page.viewed' }, userId: 'user' };
  const metrics = async () => (await sut.request('GET', '/metrics')).body as string;
  const stored = async (userPrefix: string) =>
    (await sut.db.dataSource.query(`select count(*)::int as n from events where user_id like $1`, [`${userPrefix}%`]))[0].n as number;

  async function addSource(key: string, source: Record<string, unknown>, flow: Record<string, unknown>) {
    const res = await sut.request('POST', '/v1/sources', { role: 'operator', body: { key, ...source, ...flow, mapping } });
    expect(res.status).toBe(201);
    await eventually(async () => ((await sut.request('GET', `/v1/sources/${key}`, { role: 'operator' })).body.state === 'consuming' ? true : undefined));
  }

  /** Publishes the quiet source's events one by one and times until all are stored. */
  async function timeQuiet(publish: (b: unknown) => Promise<unknown>, run: string): Promise<number> {
    const started = performance.now();
    for (let i = 0; i < QUIET; i++) await publish({ id: `${run}-${i}`, user: `${run}-u${i}` });
    while ((await stored(`${run}-u`)) < QUIET) await new Promise((r) => setTimeout(r, 10));
    return performance.now() - started;
  }

  it('a flooded source does not starve another: the quiet one stays within the same order of time', async () => {
    const quiet = await broker.place();
    const noisy = await broker.place();
    const quietKey = uniqueName('quiet').toLowerCase();
    const noisyKey = uniqueName('noisy').toLowerCase();
    await addSource(quietKey, quiet.source, { concurrency: 2, prefetch: 50 });

    await timeQuiet(quiet.publish, 'warm');
    const alone = await timeQuiet(quiet.publish, 'alone');

    // The flood waits in the broker before its source starts, so it all lands at once. Published pipelined (not one
    // confirm at a time), and every message confirmed by the broker before the source starts.
    await noisy.publishMany(Array.from({ length: FLOOD }, (_, i) => ({ id: `flood-${broker.name}-${i}`, user: `flood-u${i}` })));
    // Small batches: the noisy source keeps PostgreSQL busy for a while rather than finishing in a few large transactions.
    await addSource(noisyKey, noisy.source, { concurrency: 2, prefetch: 500, maxBatch: 2 });
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_consumed_total', noisyKey) > 0 ? true : undefined));
    const noisyBefore = sourceMetric(await metrics(), 'kairos_source_consumed_total', noisyKey);
    const flooded = await timeQuiet(quiet.publish, 'flooded');
    const noisyDone = sourceMetric(await metrics(), 'kairos_source_consumed_total', noisyKey);

    const ratio = flooded / alone;
    console.log(`isolation (${broker.name}): ${QUIET} quiet events ${alone.toFixed(0)} ms alone, ${flooded.toFixed(0)} ms during a ${FLOOD}-message flood (x${ratio.toFixed(2)}); flood consumed meanwhile: ${noisyDone - noisyBefore} (${noisyDone} in all)`);
    // The flood was still going when the quiet source was done, so the quiet source was measured under load.
    expect(noisyDone).toBeLessThan(FLOOD);
    // Measured by the flood's own progress, which a pause of the machine slows as much as the quiet source: a quiet
    // source starved behind the flood is done only once most of it is, where one kept apart takes a small share of it.
    expect(noisyDone - noisyBefore).toBeLessThan(FLOOD / 4);
    // By the clock, against what starvation costs (the flood's time), not against one pause of a loaded machine.
    expect(flooded).toBeLessThan(Math.max(SAME_ORDER * alone, FLOODED_FLOOR_MS));
    // The rest of the flood drains in small batches: minutes on a loaded two-core machine (a bound, not a measure).
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_consumed_total', noisyKey) === FLOOD ? true : undefined), 300_000);
  }, 420_000);
});
