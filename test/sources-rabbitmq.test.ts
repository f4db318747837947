import { RabbitMqConsumer } from '../src/ingest/rabbitmq-consumer';
import { SourceDefinition, type RabbitMqSource } from '../src/ingest/source-definition';
import { SourcesRepository } from '../src/store/repositories/sources.repository';
import { launchCampaign } from './support/campaign-api';
import { cashback, unacknowledged, deadLetterProbe, rabbitConsumer, orderPaid, orderPaidMapping, RABBITMQ_URL, RabbitPublisher, rabbitPolicy, rabbitUser, restartBroker, sourceMetric, uniqueName, settledSourceCounts } from './support/brokers';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';
import { exclusiveSuite } from './support/exclusive';

// The brokers are restarted mid-stream by these suites: one broker suite at a time (see holdExclusive).
exclusiveSuite('brokers');

/**
 * RabbitMQ sources on the real broker: messages take the POST /v1/events
 * path (stored with their outbox rows, then acknowledged), duplicates are
 * acknowledged once stored, bad messages are dead-lettered with the reason,
 * and nothing is lost or applied twice through a broker restart or a
 * PostgreSQL outage (rewards are counted exactly).
 */
describe('RabbitMQ sources', () => {
  let sut: SystemUnderTest;
  const publisher = new RabbitPublisher();
  const queues: string[] = [];
  beforeAll(async () => {
    sut = await startSystemUnderTest({ proxyDatabase: true });
    await launchCampaign(sut, cashback);
  });
  afterAll(async () => {
    await sut?.stop();
    await publisher.deleteQueues(...queues);
    await publisher.close();
  });

  const operator = (method: string, path: string, body?: unknown) => sut.request(method, path, { role: 'operator', body });
  const metrics = async () => (await sut.request('GET', '/metrics')).body as string;
  const count = async (sql: string, params: unknown[]) => ((await sut.db.dataSource.query(sql, params))[0].n as number);
  const eventsLike = (prefix: string) => count(`select count(*)::int as n from events where id like $1`, [`${prefix}%`]);
  const pointsOf = (userPrefix: string) => count(`select coalesce(sum(amount), 0)::int as n from rewards where user_id like $1`, [`${userPrefix}%`]);

  async function addSource(extra: Record<string, unknown> = {}) {
    const queue = uniqueName('kairos-test-orders');
    queues.push(queue);
    const key = uniqueName('shop').toLowerCase();
    const res = await operator('POST', '/v1/sources', { key, broker: 'rabbitmq', queue, prefetch: 20, concurrency: 2, mapping: orderPaidMapping, ...extra });
    expect(res.status).toBe(201);
    await eventually(async () => ((await operator('GET', `/v1/sources/${key}`)).body.state === 'consuming' ? true : undefined));
    return { key, queue };
  }

  it('validates a source with paths, and lists it once stored', async () => {
    const bad = await operator('POST', '/v1/sources', { key: 'Bad Key', broker: 'rabbitmq', queue: 'q', prefetch: 0, mapping: { id: 'a..b', type: { const: 'x' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['key', 'mapping.id', 'mapping.userId', 'prefetch']);
    const { key } = await addSource();
    const list = await operator('GET', '/v1/sources');
    expect(list.body.sources.map((s: { key: string }) => s.key)).toContain(key);
    expect((await operator('POST', '/v1/sources', { key, broker: 'nats', stream: 'S', subject: 'a', mapping: orderPaidMapping })).status).toBe(409);
    // A second source on the same queue would split its messages between the two: refused, naming the first.
    const queue = list.body.sources.find((x: { key: string }) => x.key === key).definition.queue;
    const twin = await operator('POST', '/v1/sources', { key: `${key}-twin`, broker: 'rabbitmq', queue, mapping: orderPaidMapping });
    expect({ status: twin.status, code: twin.body.error.code, paths: twin.body.error.details.map((d: { path: string }) => d.path) }).toEqual({ status: 409, code: 'source_overlaps', paths: ['queue'] });
    expect(twin.body.error.message).toContain(`Source ${key} already consumes queue ${queue}`);
    // Disabled, it takes nothing, so it may share the queue.
    expect((await operator('POST', '/v1/sources', { key: `${key}-off`, broker: 'rabbitmq', queue, enabled: false, mapping: orderPaidMapping })).status).toBe(201);
    // A source that does not exist is a 404, whatever its body would clash with (was a 409: mq probe).
    expect((await operator('PUT', `/v1/sources/${key}-none`, { broker: 'rabbitmq', queue, mapping: orderPaidMapping })).status).toBe(404);
  });

  it('lets one of several sources created at once on one queue through, and refuses the others (mq probe: all three consumed it)', async () => {
    const queue = uniqueName('kairos-test-race');
    queues.push(queue);
    const keys = [1, 2, 3, 4].map((n) => `${uniqueName('race').toLowerCase()}-${n}`);
    const answers = await Promise.all(keys.map((key) => operator('POST', '/v1/sources', { key, broker: 'rabbitmq', queue, mapping: orderPaidMapping })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.error.code)).toEqual(['source_overlaps', 'source_overlaps', 'source_overlaps']);
    for (const key of keys) await operator('DELETE', `/v1/sources/${key}`);
  });

  it('says why a source it cannot consume from stays connecting (an exchange that does not exist), and clears it once consuming', async () => {
    const key = uniqueName('unbound').toLowerCase();
    // A queue name RabbitMQ reserves is knowable at once: a 400 at its path.
    const reserved = await operator('POST', '/v1/sources', { key, broker: 'rabbitmq', queue: `amq.${key}`, mapping: orderPaidMapping });
    expect({ status: reserved.status, paths: reserved.body.error.details.map((d: { path: string }) => d.path) }).toEqual({ status: 400, paths: ['queue'] });
    const queue = uniqueName('kairos-test-unbound');
    queues.push(queue);
    const body = { key, broker: 'rabbitmq', queue, bind: { exchange: uniqueName('no-such-exchange'), routingKey: '#' }, mapping: orderPaidMapping };
    expect((await operator('POST', '/v1/sources', body)).status).toBe(201);
    const view = await eventually(async () => {
      const v = (await operator('GET', `/v1/sources/${key}`)).body;
      return v.lastError ? v : undefined;
    });
    expect(view).toMatchObject({ state: 'connecting', lastError: expect.stringMatching(/NOT_FOUND|no exchange/i) });
    // On the dashboard and for the alert: 0 while it cannot consume.
    const upLine = (text: string, source: string) => text.split('\n').find((l) => l.startsWith('kairos_source_up{') && l.includes(`source="${source}"`));
    expect(upLine(await metrics(), key)).toMatch(/ 0$/);
    expect((await operator('DELETE', `/v1/sources/${key}`)).status).toBe(200);
    expect(upLine(await metrics(), key)).toBeUndefined();
    const { key: good } = await addSource();
    expect((await operator('GET', `/v1/sources/${good}`)).body).toMatchObject({ state: 'consuming', lastError: null });
    expect(upLine(await metrics(), good)).toMatch(/ 1$/);
  });

  it('maps business messages into events that reach journeys; a resent message is acknowledged as a duplicate', async () => {
    const { key, queue } = await addSource();
    for (let n = 0; n < 30; n++) await publisher.publish(queue, orderPaid(n, `rmq-map-${n}`));
    for (let n = 0; n < 10; n++) await publisher.publish(queue, orderPaid(n, `rmq-map-${n}`));
    expect(await settledSourceCounts(metrics, key, { duplicates: 10, consumed: 30 })).toEqual({ duplicates: 10, consumed: 30 });
    const [event] = await sut.db.dataSource.query(`select type, user_id, properties from events where id = 'order.paid:7'`);
    expect(event).toEqual({ type: 'order.completed', user_id: 'rmq-map-7', properties: { amount: 17, orderNo: 7 } });
    await eventually(async () => ((await pointsOf('rmq-map-')) === 300 ? true : undefined));
    expect(await publisher.ready(queue)).toBe(0);
  });

  it("keeps each user's order: a user's messages, a batch each, walk every journey to its end", async () => {
    // Each step moves the journey on only in its turn; the first state's reward holds what comes meanwhile.
    await launchCampaign(sut, {
      key: 'rmq-steps',
      name: 'steps in order',
      entry: { on: 'steps.start' },
      initial: 'a',
      states: {
        a: { actions: { steps: [{ type: 'points', amount: 1 }] }, transitions: [{ to: 'b', on: 'steps.next', if: 'event.seq == 1' }] },
        b: { transitions: [{ to: 'c', on: 'steps.next', if: 'event.seq == 2' }] },
        c: { transitions: [{ to: 'done', on: 'steps.next', if: 'event.seq == 3' }] },
        done: { end: true },
      },
    });
    // A batch per message and four lanes: a user's four messages, one after the other in the queue, would be stored four at once by a pump that kept no order.
    const { queue } = await addSource({ concurrency: 4, maxBatch: 1, mapping: { id: 'id', type: 'type', userId: 'user', properties: { seq: 'seq' } } });
    const users = Array.from({ length: 16 }, (_, i) => `rmq-steps-${i}`);
    for (const user of users) {
      for (let seq = 0; seq <= 3; seq++) await publisher.publish(queue, { id: `${user}-${seq}`, type: seq === 0 ? 'steps.start' : 'steps.next', user, seq });
    }
    const done = () => count(`select count(distinct user_id)::int as n from journey_transitions where campaign_key = 'rmq-steps' and to_state = 'done'`, []);
    await eventually(async () => ((await done()) === users.length ? true : undefined), 60_000);
    // Nothing reached a journey before its start, so nothing was closed as not running.
    expect(await count(`select count(*)::int as n from signal_outbox where campaign_key = 'rmq-steps' and outcome = 'not-running'`, [])).toBe(0);
  });

  it('dead-letters what does not map, with the reason, and goes on', async () => {
    const { key, queue } = await addSource();
    // A publisher's per-message TTL must not take the dead letter out of the queue before anyone read it (mq probe).
    await publisher.publish(queue, null, { raw: 'not json', expiration: '600000' });
    await publisher.publish(queue, { orderNo: 1, amount: 3 });
    await publisher.publish(queue, orderPaid(9001, 'rmq-dlq-ok'));
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_dead_lettered_total', key) === 2 ? true : undefined));
    await eventually(async () => ((await eventsLike('order.paid:9001')) === 1 ? true : undefined));
    const dead = await publisher.drain(`${queue}.dlq`);
    expect(dead.map((d) => d.body)).toEqual(['not json', JSON.stringify({ orderNo: 1, amount: 3 })]);
    expect(dead.map((d) => d.expiration)).toEqual([undefined, undefined]);
    expect(String(dead[0].headers['x-kairos-reason'])).toMatch(/not JSON/);
    expect(String(dead[1].headers['x-kairos-reason'])).toBe('userId: nothing at buyer.uid in the message');
  });

  it("dead-letters a message whose publisher set user_id (RabbitMQ checks it against the user logged in): without it, which the broker would refuse from Kairos's user, closing the channel at every delivery (review-51, finding 1)", async () => {
    const { key, queue } = await addSource();
    const name = uniqueName('kairos-test-shop');
    const user = await rabbitUser(name);
    const shop = new RabbitPublisher(user.url);
    try {
      await shop.publish(queue, null, { raw: 'not json', userId: name });
      await shop.publish(queue, orderPaid(9101, 'rmq-user-id'), { userId: name });
      await eventually(async () => ((await eventsLike('order.paid:9101')) === 1 ? true : undefined));
      await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_dead_lettered_total', key) === 1 ? true : undefined));
      const dead = await publisher.drain(`${queue}.dlq`);
      expect(dead.map((d) => ({ body: d.body, userId: d.userId, original: d.headers['x-kairos-original-user-id'] }))).toEqual([{ body: 'not json', userId: undefined, original: name }]);
      expect((await operator('GET', `/v1/sources/${key}`)).body).toMatchObject({ state: 'consuming', lastError: null });
      expect(await publisher.ready(queue)).toBe(0);
    } finally {
      await shop.close();
      await user.remove();
    }
  });

  it("dead-letters a message whose headers, with the reason beside them, are more than amqplib encodes: without the publisher's headers, and the next dead letter is confirmed as its own (review-51, finding 3)", async () => {
    const { key, queue } = await addSource();
    // As much as an amqplib publisher sends (64 KiB of headers at most): with Kairos's reason, source and id, past it.
    await publisher.publish(queue, null, { raw: 'not json', headers: { big: 'x'.repeat(65_450) } });
    await publisher.publish(queue, null, { raw: 'not json either' });
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_dead_lettered_total', key) === 2 ? true : undefined), 10_000);
    const dead = await publisher.drain(`${queue}.dlq`);
    expect(dead.map((d) => ({ body: d.body, big: d.headers.big, omitted: d.headers['x-kairos-headers-omitted'], reason: d.headers['x-kairos-reason'] }))).toEqual([
      { body: 'not json', big: undefined, omitted: expect.stringMatching(/^\d+ bytes of headers, too large to copy with the reason$/), reason: expect.stringMatching(/not JSON/) },
      { body: 'not json either', big: undefined, omitted: undefined, reason: expect.stringMatching(/not JSON/) },
    ]);
    // Both originals acknowledged: none left ready or held.
    expect(await publisher.ready(queue)).toBe(0);
    await eventually(async () => (unacknowledged(await metrics(), key) === 0 ? true : undefined));
  });

  it('puts back a message whose dead letter <queue>.dlq refuses, later each time, instead of holding it until the connection closes; it is dead-lettered once the queue takes it', async () => {
    const queue = uniqueName('kairos-test-refusing');
    queues.push(queue);
    const policy = `${queue}-refuses`;
    const probe = deadLetterProbe();
    const consumer = new RabbitMqConsumer(SourceDefinition.parse({ key: uniqueName('refusing').toLowerCase(), broker: 'rabbitmq', queue, mapping: orderPaidMapping }) as RabbitMqSource, {
      url: RABBITMQ_URL,
      ...probe.deps,
      batchBytes: 5 * 1024 * 1024,
    });
    consumer.start();
    try {
      await eventually(async () => ((await publisher.consumers(queue).catch(() => 0)) === 1 ? true : undefined));
      // <queue>.dlq takes nothing and says so to the publisher (a confirm's nack).
      await rabbitPolicy(policy, `^${queue}\\.dlq$`, { 'max-length': 0, overflow: 'reject-publish' });
      await publisher.publish(queue, null, { raw: 'not json' });
      // Held until the connection closed, it was tried once.
      expect(await probe.gapsOfTries()).toEqual({ tries: 3, apartAsAsked: true });
      // Held between tries, it is not ready in the queue (the lag) but shows as unacknowledged.
      await eventually(async () => ((await probe.unacknowledged()) === 1 && (await publisher.ready(queue)) === 0 ? true : undefined));
      await rabbitPolicy(policy, '', null);
      await eventually(async () => {
        const dead = await publisher.drain(`${queue}.dlq`);
        return dead.length > 0 ? dead : undefined;
      }, 20_000).then((dead) => expect(dead.map((d) => [d.body, d.headers['x-kairos-reason']])).toEqual([['not json', expect.stringMatching(/not JSON/)]]));
      expect(await publisher.ready(queue)).toBe(0);
      await eventually(async () => ((await probe.unacknowledged()) === 0 ? true : undefined));
    } finally {
      await consumer.stop();
      await rabbitPolicy(policy, '', null).catch(() => undefined);
    }
  });

  it('loses no dead letter when <queue>.dlq was deleted while consuming: it is made again and the letter lands there', async () => {
    const { key, queue } = await addSource();
    await publisher.deleteQueue(`${queue}.dlq`);
    await publisher.publish(queue, null, { raw: 'still not json' });
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_dead_lettered_total', key) === 1 ? true : undefined));
    const dead = await publisher.drain(`${queue}.dlq`);
    expect(dead.map((d) => d.body)).toEqual(['still not json']);
    expect(String(dead[0].headers['x-kairos-reason'])).toMatch(/not JSON/);
  });

  it('loses no dead letter when <queue>.dlx was deleted while consuming: it is declared again and the letter lands in <queue>.dlq (review-60-sources, finding 2)', async () => {
    const { key, queue } = await addSource();
    // Its binding to <queue>.dlq goes with it; the consuming connection and channel stay as they were.
    await publisher.deleteExchange(`${queue}.dlx`);
    await publisher.publish(queue, null, { raw: 'still not json' });
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_dead_lettered_total', key) === 1 ? true : undefined), 15_000);
    const dead = await publisher.drain(`${queue}.dlq`);
    expect(dead.map((d) => [d.body, String(d.headers['x-kairos-reason'])])).toEqual([['still not json', expect.stringMatching(/not JSON/)]]);
    expect(await publisher.ready(queue)).toBe(0);
    expect((await operator('GET', `/v1/sources/${key}`)).body).toMatchObject({ state: 'consuming', lastError: null });
  });

  it('applies a changed mapping without a restart', async () => {
    const { key, queue } = await addSource();
    const put = await operator('PUT', `/v1/sources/${key}`, { broker: 'rabbitmq', queue, mapping: { ...orderPaidMapping, id: { path: 'orderNo', prefix: 'v2:' } } });
    expect(put.status).toBe(200);
    expect(put.body.version).toBe(2);
    await publisher.publish(queue, orderPaid(1, 'rmq-v2'));
    await eventually(async () => ((await eventsLike('v2:1')) === 1 ? true : undefined));
    // The same definition again, its defaults written out and its keys in another order: no new version, no restart.
    const again = await operator('PUT', `/v1/sources/${key}`, { mapping: { ...orderPaidMapping, id: { prefix: 'v2:', path: 'orderNo' } }, queue, broker: 'rabbitmq', concurrency: 4 });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ version: 2, state: 'consuming' });
  });

  it('removes a source: its consumer stops at once, what is published after stays in the queue, and the key is free again', async () => {
    const { key, queue } = await addSource();
    expect(await publisher.consumers(queue)).toBeGreaterThan(0);
    const removed = await operator('DELETE', `/v1/sources/${key}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ key, version: 1, state: 'removed', definition: { queue } });
    // The answer comes once this instance's consumer has stopped.
    expect(await publisher.consumers(queue)).toBe(0);
    await publisher.publish(queue, orderPaid(1, 'rmq-removed'));
    expect(await eventually(async () => ((await publisher.ready(queue)) === 1 ? 1 : undefined))).toBe(1);
    expect((await operator('GET', `/v1/sources/${key}`)).status).toBe(404);
    const again = await operator('DELETE', `/v1/sources/${key}`);
    expect({ status: again.status, code: again.body.error.code }).toEqual({ status: 404, code: 'not_found' });
    expect((await operator('GET', '/v1/sources')).body.sources.map((s: { key: string }) => s.key)).not.toContain(key);
    expect((await sut.request('DELETE', `/v1/sources/${key}`, { role: 'support' })).status).toBe(403);
  });

  it('a change or a removal right after a create answers, and leaves no consumer behind (the connect in progress is not waited for, nor consumed from)', async () => {
    for (const then of ['PUT', 'DELETE'] as const) {
      const queue = uniqueName('kairos-test-race');
      queues.push(queue);
      const key = uniqueName('race').toLowerCase();
      const body = { key, broker: 'rabbitmq', queue, mapping: orderPaidMapping };
      expect((await operator('POST', '/v1/sources', body)).status).toBe(201);
      // At once, while its consumer is still connecting.
      const changed = await operator(then, `/v1/sources/${key}`, then === 'PUT' ? { ...body, mapping: { ...orderPaidMapping, id: { path: 'orderNo', prefix: 'race:' } } } : undefined);
      expect({ then, status: changed.status }).toEqual({ then, status: 200 });
      if (then === 'PUT') {
        await eventually(async () => ((await operator('GET', `/v1/sources/${key}`)).body.state === 'consuming' ? true : undefined));
        await publisher.publish(queue, orderPaid(1, 'rmq-race'));
        await eventually(async () => ((await eventsLike('race:1')) === 1 ? true : undefined));
        // One consumer: the first version's connection was closed, not left consuming.
        expect(await publisher.consumers(queue)).toBe(1);
      } else {
        await publisher.publish(queue, orderPaid(2, 'rmq-race-gone'));
        // Stays in the queue: nothing consumes for a source that is gone.
        expect(await eventually(async () => ((await publisher.ready(queue)) === 1 ? 1 : undefined))).toBe(1);
        expect(await publisher.consumers(queue)).toBe(0);
      }
    }
    // The sources still answer and start.
    await addSource();
  });

  it('consumes a queue its publisher declared with other arguments (a quorum queue), dead letters included', async () => {
    const queue = uniqueName('kairos-test-quorum');
    queues.push(queue);
    await publisher.declare(queue, { arguments: { 'x-queue-type': 'quorum' } });
    const key = uniqueName('quorum').toLowerCase();
    expect((await operator('POST', '/v1/sources', { key, broker: 'rabbitmq', queue, mapping: orderPaidMapping })).status).toBe(201);
    await eventually(async () => ((await operator('GET', `/v1/sources/${key}`)).body.state === 'consuming' ? true : undefined));
    await publisher.publish(queue, orderPaid(31, 'rmq-quorum'), { declared: true });
    await publisher.publish(queue, null, { raw: 'not json', declared: true });
    await eventually(async () => ((await eventsLike('order.paid:31')) === 1 ? true : undefined));
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_dead_lettered_total', key) === 1 ? true : undefined));
    expect((await publisher.drain(`${queue}.dlq`)).map((d) => d.body)).toEqual(['not json']);
  });

  it('refuses a RabbitMQ stream queue, which keeps no position for its consumer (messages published or put back while it reconnects would be lost): it stays connecting, saying why, and stores nothing of it (review-60-sources, finding 3)', async () => {
    const queue = uniqueName('kairos-test-stream');
    queues.push(queue);
    await publisher.declare(queue, { arguments: { 'x-queue-type': 'stream' } });
    const key = uniqueName('stream').toLowerCase();
    expect((await operator('POST', '/v1/sources', { key, broker: 'rabbitmq', queue, mapping: orderPaidMapping })).status).toBe(201);
    // AMQP shows no queue's type: its first delivery does (a stream's carry x-stream-offset).
    await eventually(async () => ((await operator('GET', `/v1/sources/${key}`)).body.state === 'consuming' ? true : undefined));
    await publisher.publish(queue, orderPaid(61_001, 'rmq-stream'), { declared: true });
    const view = await eventually(async () => {
      const v = (await operator('GET', `/v1/sources/${key}`)).body;
      return v.state === 'connecting' && v.lastError ? v : undefined;
    });
    expect(view.lastError).toBe(
      `queue ${queue} is a RabbitMQ stream: it keeps no position for Kairos's consumer (each connect starts at its tail, and a message put back is not delivered again), so messages published or held while the source reconnects would be lost; consume a classic or quorum queue bound to the same exchange instead (change the source's queue)`,
    );
    expect(await eventsLike('order.paid:61001')).toBe(0);
    expect(sourceMetric(await metrics(), 'kairos_source_consumed_total', key)).toBe(0);
  });

  it("keeps a user's order across instances on a queue declared single-active-consumer: another instance's consumer takes nothing while this one consumes, and takes over once it stops", async () => {
    const queue = uniqueName('kairos-test-single');
    queues.push(queue);
    await publisher.declare(queue, { deadLetterExchange: `${queue}.dlx`, arguments: { 'x-single-active-consumer': true } });
    const key = uniqueName('single').toLowerCase();
    expect((await operator('POST', '/v1/sources', { key, broker: 'rabbitmq', queue, prefetch: 5, mapping: orderPaidMapping })).status).toBe(201);
    await eventually(async () => ((await operator('GET', `/v1/sources/${key}`)).body.state === 'consuming' ? true : undefined));
    const other = await rabbitConsumer(queue);
    try {
      expect(await eventually(async () => ((await publisher.consumers(queue)) === 2 ? 2 : undefined))).toBe(2);
      // Without the argument the broker would hand every other message to the second consumer.
      for (let n = 0; n < 30; n++) await publisher.publish(queue, orderPaid(50_000 + n, `rmq-single-${n % 3}`), { declared: true });
      const stored = () => count(`select count(*)::int as n from events where user_id like 'rmq-single-_'`, []);
      await eventually(async () => ((await stored()) === 30 ? true : undefined));
      expect(other.received).toEqual([]);
      // This instance stops consuming (its source disabled here): the other one is handed what comes next.
      expect((await operator('PUT', `/v1/sources/${key}`, { key, broker: 'rabbitmq', queue, prefetch: 5, mapping: orderPaidMapping, enabled: false })).status).toBe(200);
      await publisher.publish(queue, orderPaid(59_999, 'rmq-single-after'), { declared: true });
      await eventually(async () => (other.received.length === 1 ? true : undefined));
      expect(JSON.parse(other.received[0]).orderNo).toBe(59_999);
      expect(await eventsLike('order.paid:59999')).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('consumes again when its queue is deleted and made again under it (the broker cancels the consumer)', async () => {
    const { queue } = await addSource();
    await publisher.deleteQueue(queue);
    await publisher.declare(queue, { deadLetterExchange: `${queue}.dlx` });
    expect(await eventually(async () => ((await publisher.consumers(queue)) === 1 ? 1 : undefined))).toBe(1);
    await publisher.publish(queue, orderPaid(41, 'rmq-remade'));
    await eventually(async () => ((await eventsLike('order.paid:41')) === 1 ? true : undefined));
  });

  it('hears of a source changed through another instance (the sources table notifies), without a restart', async () => {
    const queue = uniqueName('kairos-test-orders');
    queues.push(queue);
    const key = uniqueName('elsewhere').toLowerCase();
    const definition = SourceDefinition.parse({ key, broker: 'rabbitmq', queue, mapping: { ...orderPaidMapping, id: { path: 'orderNo', prefix: 'elsewhere:' } } });
    // Straight into the table, as another API instance would write it: only the notification tells this one.
    await new SourcesRepository(sut.db.dataSource).create(key, 'rabbitmq', definition);
    await publisher.publish(queue, orderPaid(1, 'rmq-elsewhere'));
    await eventually(async () => ((await eventsLike('elsewhere:1')) === 1 ? true : undefined));
    await new SourcesRepository(sut.db.dataSource).replace(key, 'rabbitmq', { ...definition, enabled: false });
    await eventually(async () => ((await operator('GET', `/v1/sources/${key}`)).body.state === 'disabled' ? true : undefined));
  });

  it('loses nothing and applies nothing twice through a broker restart mid-stream', async () => {
    const { key, queue } = await addSource();
    const total = 300;
    const publish = async (from: number, to: number) => {
      for (let n = from; n < to; n++) await publisher.publish(queue, { ...orderPaid(20_000 + n, `rmq-restart-${n}`) });
    };
    await publish(0, total / 2);
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_consumed_total', key) > 50 ? true : undefined));
    const lagShown = async () => (await metrics()).split('\n').some((l) => l.startsWith('kairos_source_lag{') && l.includes(`source="${key}"`));
    await eventually(async () => ((await lagShown()) ? true : undefined));
    // The second half goes in while the broker restarts and after: only a consumer that reconnected can take it.
    let restarted = false;
    const restarting = restartBroker('rabbitmq').finally(() => (restarted = true));
    // Meanwhile the lag is unknown: no value, rather than the last one read holding still.
    let lagHidden = false;
    const watching = (async () => {
      while (!restarted && !lagHidden) {
        lagHidden = !(await lagShown());
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await publish(total / 2, total);
    await restarting;
    await watching;
    expect(lagHidden).toBe(true);
    await eventually(async () => ((await count(`select count(*)::int as n from events where user_id like 'rmq-restart-%'`, [])) >= total ? true : undefined), 90_000);
    expect(await count(`select count(*)::int as n from events where user_id like 'rmq-restart-%'`, [])).toBe(total);
    await eventually(async () => ((await pointsOf('rmq-restart-')) === total * 10 ? true : undefined), 60_000);
    expect(await count(`select count(*)::int as n from rewards where user_id like 'rmq-restart-%'`, [])).toBe(total);
  });

  it('stops taking messages while PostgreSQL is down, acknowledges nothing, and catches up once it is back', async () => {
    const { key, queue } = await addSource({ prefetch: 10, concurrency: 1, maxBatch: 5 });
    for (let n = 0; n < 20; n++) await publisher.publish(queue, orderPaid(40_000 + n, `rmq-pg-${n}`));
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_consumed_total', key) === 20 ? true : undefined));
    await sut.databaseProxy!.stop();
    for (let n = 20; n < 80; n++) await publisher.publish(queue, orderPaid(40_000 + n, `rmq-pg-${n}`));
    // The consumer tried, failed, and keeps trying with what it holds: no more than the prefetch leaves the queue.
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_store_retries_total', key) >= 3 ? true : undefined));
    // What the broker's lag leaves out: the prefetch's worth this instance holds unacknowledged.
    await eventually(async () => (unacknowledged(await metrics(), key) === 10 ? true : undefined));
    expect(await publisher.ready(queue)).toBeGreaterThanOrEqual(60 - 10);
    expect(sourceMetric(await metrics(), 'kairos_source_consumed_total', key)).toBe(20);
    await sut.databaseProxy!.start();
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_consumed_total', key) === 80 ? true : undefined), 60_000);
    await eventually(async () => (unacknowledged(await metrics(), key) === 0 ? true : undefined));
    expect(await count(`select count(*)::int as n from events where user_id like 'rmq-pg-%'`, [])).toBe(80);
    await eventually(async () => ((await pointsOf('rmq-pg-')) === 800 ? true : undefined), 60_000);
  });
});
