import { AckPolicy, connect, DeliverPolicy, nanos, RetentionPolicy, type ConsumerConfig, type NatsConnection } from 'nats';
import { Registry } from 'prom-client';
import type { IncomingEvent } from '../src/domain/event';
import { NatsConsumer, NEW_DURABLE_MARGIN_MS } from '../src/ingest/nats-consumer';
import { SourceDefinition, type NatsSource } from '../src/ingest/source-definition';
import { SourceMetrics } from '../src/ingest/source-metrics';
import { launchCampaign } from './support/campaign-api';
import { cashback, unacknowledged, deadLetterProbe, NatsPublisher, natsRawPublish, orderPaid, orderPaidMapping, restartBroker, sourceMetric, uniqueName, settledSourceCounts } from './support/brokers';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';
import { exclusiveSuite } from './support/exclusive';

// The brokers are restarted mid-stream by these suites: one broker suite at a time (see holdExclusive).
exclusiveSuite('brokers');

/**
 * NATS JetStream sources on the real server: a durable pull consumer with
 * explicit acks, Nats-Msg-Id deduplication by the stream, duplicates by
 * event id acknowledged once stored, dead letters on `<subject>.dlq` with the
 * reason, and nothing lost or applied twice through a server restart or a
 * PostgreSQL outage (rewards are counted exactly).
 */
describe('NATS JetStream sources', () => {
  let sut: SystemUnderTest;
  const publisher = new NatsPublisher();
  const streams: string[] = [];
  beforeAll(async () => {
    sut = await startSystemUnderTest({ proxyDatabase: true });
    await launchCampaign(sut, cashback);
  });
  afterAll(async () => {
    await sut?.stop();
    await publisher.deleteStreams(...streams);
    await publisher.close();
  });

  const operator = (method: string, path: string, body?: unknown) => sut.request(method, path, { role: 'operator', body });
  const metrics = async () => (await sut.request('GET', '/metrics')).body as string;
  const count = async (sql: string, params: unknown[] = []) => ((await sut.db.dataSource.query(sql, params))[0].n as number);
  const eventsOf = (userPrefix: string) => count(`select count(*)::int as n from events where user_id like $1`, [`${userPrefix}%`]);
  const pointsOf = (userPrefix: string) => count(`select coalesce(sum(amount), 0)::int as n from rewards where user_id like $1`, [`${userPrefix}%`]);

  /** The source's state once it says why it cannot consume. */
  const refusal = (key: string) =>
    eventually(async () => {
      const res = await operator('GET', `/v1/sources/${key}`);
      return res.body.lastError ? res.body : undefined;
    });

  async function addSource(extra: Record<string, unknown> = {}) {
    const stream = uniqueName('KAIROS_TEST');
    streams.push(stream);
    const subject = `${stream.toLowerCase()}.orders.paid`;
    const key = uniqueName('nats').toLowerCase();
    const res = await operator('POST', '/v1/sources', { key, broker: 'nats', stream, subject, prefetch: 20, concurrency: 2, mapping: orderPaidMapping, ...extra });
    expect(res.status).toBe(201);
    await eventually(async () => ((await operator('GET', `/v1/sources/${key}`)).body.state === 'consuming' ? true : undefined));
    return { key, stream, subject, durable: `kairos-${key}` };
  }

  it('maps messages into events that reach journeys; Nats-Msg-Id and event ids keep each one to once', async () => {
    const { key, subject } = await addSource();
    for (let n = 0; n < 30; n++) expect(await publisher.publish(subject, orderPaid(n, `nats-map-${n}`), { msgId: `m-${n}` })).toEqual({ duplicate: false });
    // The same Nats-Msg-Id: the stream drops it. The same order under a new message id: Kairos acknowledges it as a duplicate.
    for (let n = 0; n < 5; n++) expect(await publisher.publish(subject, orderPaid(n, `nats-map-${n}`), { msgId: `m-${n}` })).toEqual({ duplicate: true });
    for (let n = 0; n < 10; n++) await publisher.publish(subject, orderPaid(n, `nats-map-${n}`), { msgId: `again-${n}` });
    expect(await settledSourceCounts(metrics, key, { duplicates: 10, consumed: 30 })).toEqual({ duplicates: 10, consumed: 30 });
    const [event] = await sut.db.dataSource.query(`select type, user_id, properties from events where user_id = 'nats-map-7'`);
    expect(event).toEqual({ type: 'order.completed', user_id: 'nats-map-7', properties: { amount: 17, orderNo: 7 } });
    await eventually(async () => ((await pointsOf('nats-map-')) === 300 ? true : undefined));
  });

  it('refuses a second source on the same durable consumer of a stream, and lets a replay source on a dead-letter subject sit beside a > source (mq probe)', async () => {
    const { key, stream, subject, durable } = await addSource();
    const other = { broker: 'nats', stream, mapping: orderPaidMapping };
    const shared = await operator('POST', '/v1/sources', { ...other, key: `${key}-b`, subject: `${subject}-other`, durable });
    expect({ status: shared.status, code: shared.body.error?.code, paths: shared.body.error?.details.map((d: { path: string }) => d.path) }).toEqual({ status: 409, code: 'source_overlaps', paths: ['durable'] });
    // The default durable of a source named so is the same consumer.
    const named = await operator('POST', '/v1/sources', { ...other, key: `${key}-c`, subject: `${subject}-third`, durable: `kairos-${key}-d` });
    expect(named.status).toBe(201);
    const clash = await operator('POST', '/v1/sources', { ...other, key: `${key}-d`, subject: `${subject}-fourth` });
    expect({ status: clash.status, paths: clash.body.error?.details.map((d: { path: string }) => d.path) }).toEqual({ status: 409, paths: ['durable'] });
    const wide = await operator('POST', '/v1/sources', { ...other, key: `${key}-wide`, subject: `${subject}-w.>` });
    expect(wide.status).toBe(201);
    // It skips its own dead letters, so a source replaying them takes nothing it maps; one on its live subjects still overlaps.
    expect((await operator('POST', '/v1/sources', { ...other, key: `${key}-replay`, subject: `${subject}-w.a.dlq` })).status).toBe(201);
    expect((await operator('POST', '/v1/sources', { ...other, key: `${key}-live`, subject: `${subject}-w.a` })).status).toBe(409);
    for (const k of ['c', 'wide', 'replay']) await operator('DELETE', `/v1/sources/${key}-${k}`);
  });

  it('dead-letters what does not map to <subject>.dlq with the reason, and goes on', async () => {
    const { key, stream, subject } = await addSource();
    // Shown at 0 from the source's start, so the first dead letter is an increase Prometheus sees.
    expect((await metrics()).split('\n').filter((l) => l.startsWith('kairos_source_dead_lettered_total{') && l.includes(`source="${key}"`))).toEqual([expect.stringMatching(/\} 0$/)]);
    await publisher.publish(subject, null, { raw: 'not json' });
    await publisher.publish(subject, { orderNo: 1, amount: 3 });
    await publisher.publish(subject, orderPaid(9001, 'nats-dlq-ok'));
    await eventually(async () => ((await eventsOf('nats-dlq-ok')) === 1 ? true : undefined));
    // Messages are handled several at a time: the good one may be stored before both dead letters are published and counted.
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_dead_lettered_total', key) === 2 ? true : undefined));
    expect(sourceMetric(await metrics(), 'kairos_source_dead_lettered_total', key)).toBe(2);
    const dead = await publisher.read(stream, `${subject}.dlq`);
    expect(dead.map((d) => d.body)).toEqual(['not json', JSON.stringify({ orderNo: 1, amount: 3 })]);
    expect(dead[0].reason).toMatch(/not JSON/);
    expect(dead[1].reason).toBe('userId: nothing at buyer.uid in the message');

    // Replaying them after a mapping fix: a source on the dead-letter subject consumes what is there (it skipped it all).
    const replay = uniqueName('replay').toLowerCase();
    // (its own id prefix: order.paid:1 is an event of the test above, and would be a duplicate)
    const fixed = { ...orderPaidMapping, id: { path: 'orderNo', prefix: 'replayed:' }, userId: { path: 'buyer.uid', default: 'nats-replayed' } };
    expect((await operator('POST', '/v1/sources', { key: replay, broker: 'nats', stream, subject: `${subject}.dlq`, mapping: fixed })).status).toBe(201);
    await eventually(async () => ((await eventsOf('nats-replayed')) === 1 ? true : undefined));
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_dead_lettered_total', replay) === 1 ? true : undefined));
    expect((await publisher.read(stream, `${subject}.dlq.dlq`)).map((d) => d.body)).toEqual(['not json']);
    // NATS refuses '.' in stream and consumer names: a 400 at the path, not a source that never consumes.
    const dotted = await operator('POST', '/v1/sources', { key: uniqueName('dotted').toLowerCase(), broker: 'nats', stream: 'a.b', subject: 'x.y', durable: 'c.d', mapping: orderPaidMapping });
    expect({ status: dotted.status, paths: dotted.body.error.details.map((d: { path: string }) => d.path) }).toEqual({ status: 400, paths: ['stream', 'durable'] });
  });

  it('takes back a message whose dead letter cannot be published (the stream is full) later each time, not every ack wait, past an existing durable\'s max_deliver, and dead-letters it once it can', async () => {
    const stream = uniqueName('KAIROS_TEST_FULL');
    streams.push(stream);
    const subject = `${stream.toLowerCase()}.paid`;
    // One message fills the stream: its dead letter is refused until the limit is lifted.
    await publisher.createStream(stream, [subject, `${subject}.dlq`], { maxMsgs: 1 });
    await publisher.publish(subject, null, { raw: 'not json' });
    // A durable made beforehand whose server would drop the message after its second delivery.
    const durable = uniqueName('capped');
    await publisher.createDurable(stream, durable, subject, 'explicit', { maxDeliver: 2 });
    const probe = deadLetterProbe();
    const consumer = new NatsConsumer(SourceDefinition.parse({ key: uniqueName('nats-full').toLowerCase(), broker: 'nats', stream, subject, durable, mapping: orderPaidMapping }) as NatsSource, {
      servers: ['127.0.0.1:4222'],
      ...probe.deps,
      batchBytes: 5 * 1024 * 1024,
      eventsRetentionDays: 90,
    });
    consumer.start();
    try {
      // Left to the ack wait (30 s), the second try would come half a minute after the first; left at max_deliver 2, no third.
      expect(await probe.gapsOfTries()).toEqual({ tries: 3, apartAsAsked: true });
      // JetStream holds the message meanwhile, outside the lag and kairos_source_unacknowledged: counted, and said (review-62-mq, finding 3).
      expect((await probe.deps.metrics.deadLetterFailures.get()).values[0]?.value).toBeGreaterThanOrEqual(3);
      expect({ connected: consumer.connected, lastError: consumer.lastError }).toEqual({ connected: true, lastError: expect.stringMatching(new RegExp(`^\\d+ dead letter\\(s\\) could not be published since .* \\(the latest, to ${subject}\\.dlq: .*\\)`)) });
      expect(await publisher.maxDeliver(stream, durable)).toBe(-1);
      expect(probe.warnings()).toEqual(expect.arrayContaining([expect.stringContaining(`the durable consumer ${durable} had max_deliver 2; set to unlimited`)]));
      await publisher.unlimit(stream);
      await eventually(async () => ((await publisher.read(stream, `${subject}.dlq`)).length === 1 ? true : undefined), 20_000);
      expect((await publisher.read(stream, `${subject}.dlq`)).map((d) => [d.body, d.reason])).toEqual([['not json', expect.stringMatching(/not JSON/)]]);
      // Published at last: no longer said.
      await eventually(async () => (consumer.lastError === null ? true : undefined));
    } finally {
      await consumer.stop();
    }
  });

  it('on a stream that existed without <subject>.dlq, adds it, so bad messages are dead-lettered instead of redelivered for ever in front of good ones', async () => {
    const stream = uniqueName('KAIROS_TEST_PRE');
    streams.push(stream);
    const subject = `${stream.toLowerCase()}.paid`;
    await publisher.createStream(stream, [subject]);
    const key = uniqueName('nats-pre').toLowerCase();
    expect((await operator('POST', '/v1/sources', { key, broker: 'nats', stream, subject, mapping: orderPaidMapping })).status).toBe(201);
    await eventually(async () => ((await operator('GET', `/v1/sources/${key}`)).body.state === 'consuming' ? true : undefined));
    await publisher.publish(subject, null, { raw: 'not json' });
    await publisher.publish(subject, orderPaid(51, 'nats-pre-ok'));
    await eventually(async () => ((await eventsOf('nats-pre-ok')) === 1 ? true : undefined));
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_dead_lettered_total', key) === 1 ? true : undefined));
    expect((await publisher.read(stream, `${subject}.dlq`)).map((d) => d.body)).toEqual(['not json']);
  });

  it("consumes a message whose header names nats.js cannot read (a space, a non-ASCII letter: nats.py sends them as written) from its body, in its user's order, and dead-letters a bad one with Kairos's own headers, the session going on (review-60-sources, finding 1)", async () => {
    const { key, stream, subject } = await addSource();
    const unreadable = ['Trace Id: 1', 'Größe: x'];
    await natsRawPublish(subject, unreadable, JSON.stringify(orderPaid(9301, 'nats-hdr')));
    await natsRawPublish(subject, unreadable, 'not json');
    await publisher.publish(subject, orderPaid(9302, 'nats-hdr'));
    await eventually(async () => ((await eventsOf('nats-hdr')) === 2 ? true : undefined));
    // One user's two events, stored in the stream's order (the first one held up nothing).
    const stored = await sut.db.dataSource.query(`select id from events where user_id = 'nats-hdr' order by received_at, id`);
    expect(stored.map((e: { id: string }) => e.id)).toEqual(['order.paid:9301', 'order.paid:9302']);
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_dead_lettered_total', key) === 1 ? true : undefined));
    expect(await publisher.read(stream, `${subject}.dlq`)).toEqual([
      { body: 'not json', reason: expect.stringMatching(/not JSON/), headersOmitted: expect.stringMatching(/^the message's headers could not be read \(.* is not a valid character for a header key\)$/) },
    ]);
    expect((await operator('GET', `/v1/sources/${key}`)).body).toMatchObject({ state: 'consuming', lastError: null });
  });

  it('puts <subject>.dlq back in the stream when it was taken out while consuming, and dead-letters there, instead of taking the message back for ever (review-60-sources, finding 2)', async () => {
    const { key, stream, subject } = await addSource();
    // A controller reconciling the stream's subjects takes out the one Kairos added for dead letters.
    await publisher.setStreamSubjects(stream, [subject]);
    await publisher.publish(subject, null, { raw: 'not json' });
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_dead_lettered_total', key) === 1 ? true : undefined));
    expect(await publisher.streamSubjects(stream)).toEqual([subject, `${subject}.dlq`]);
    expect((await publisher.read(stream, `${subject}.dlq`)).map((d) => [d.body, d.reason])).toEqual([['not json', expect.stringMatching(/not JSON/)]]);
    expect((await operator('GET', `/v1/sources/${key}`)).body).toMatchObject({ state: 'consuming', lastError: null });
  });

  it('a > source consumes a business message on a subject ending in .dlq, and skips only the dead letters Kairos wrote (mq probe)', async () => {
    const prefix = uniqueName('wide').toLowerCase();
    const { key, stream } = await addSource({ subject: `${prefix}.>` });
    await publisher.publish(`${prefix}.orders`, null, { raw: 'not json' });
    await publisher.publish(`${prefix}.returns.dlq`, orderPaid(9201, 'nats-dlqname-ok'));
    await publisher.publish(`${prefix}.orders`, orderPaid(9202, 'nats-dlqname-plain'));
    await eventually(async () => ((await eventsOf('nats-dlqname-')) === 2 ? true : undefined));
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_dead_lettered_total', key) === 1 ? true : undefined));
    // Its own dead letter came back to it (the stream holds it under >) and was skipped, not dead-lettered again.
    await eventually(async () => ((await publisher.pending(stream, `kairos-${key}`)) === 0 ? true : undefined));
    expect((await publisher.read(stream, `${prefix}.orders.dlq`)).map((d) => d.body)).toEqual(['not json']);
    expect(await publisher.read(stream, `${prefix}.orders.dlq.dlq`)).toEqual([]);
    expect(sourceMetric(await metrics(), 'kairos_source_dead_lettered_total', key)).toBe(1);
  });

  it('dead-letters a message too large to copy beside its reason without its body, saying where it is, instead of taking it back for ever (mq probe)', async () => {
    // Near the server's max_payload: the copy with the reason header would be refused before it is sent.
    const { key, stream, subject } = await addSource();
    await publisher.publish(subject, null, { raw: 'x'.repeat((await publisher.maxPayload()) - 64) });
    await publisher.publish(subject, orderPaid(9101, 'nats-huge-ok'));
    await eventually(async () => ((await eventsOf('nats-huge-ok')) === 1 ? true : undefined));
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_dead_lettered_total', key) === 1 ? true : undefined));
    const [dead] = await publisher.read(stream, `${subject}.dlq`);
    expect(dead).toEqual({ body: '', reason: expect.stringMatching(/not JSON/), omitted: expect.stringMatching(new RegExp(`too large to copy with the reason; the message is in stream ${stream} at sequence 1$`)) });

    // A stream's own max_msg_size: JetStream refuses the copy.
    const small = uniqueName('KAIROS_TEST_SMALL');
    streams.push(small);
    const smallSubject = `${small.toLowerCase()}.paid`;
    await publisher.createStream(small, [smallSubject, `${smallSubject}.dlq`], { maxMsgSize: 1_000 });
    const smallKey = uniqueName('nats-small').toLowerCase();
    expect((await operator('POST', '/v1/sources', { key: smallKey, broker: 'nats', stream: small, subject: smallSubject, mapping: orderPaidMapping })).status).toBe(201);
    await publisher.publish(smallSubject, null, { raw: 'y'.repeat(990) });
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_dead_lettered_total', smallKey) === 1 ? true : undefined));
    expect(await publisher.read(small, `${smallSubject}.dlq`)).toEqual([{ body: '', reason: expect.stringMatching(/not JSON/), omitted: expect.stringContaining(`stream ${small} at sequence 1`) }]);
  });

  it('names the stream that already takes a source\'s subjects when its own stream cannot be created (mq probe)', async () => {
    const owner = uniqueName('KAIROS_TEST_OWNER');
    streams.push(owner);
    const subject = `${owner.toLowerCase()}.paid`;
    await publisher.createStream(owner, [`${owner.toLowerCase()}.*`]);
    const key = uniqueName('nats-clash').toLowerCase();
    const stream = uniqueName('KAIROS_TEST_CLASH');
    streams.push(stream);
    expect((await operator('POST', '/v1/sources', { key, broker: 'nats', stream, subject, mapping: orderPaidMapping })).status).toBe(201);
    const refused = await refusal(key);
    expect({ state: refused.state, lastError: refused.lastError }).toEqual({
      state: 'connecting',
      lastError: `stream ${stream} cannot be created for ${subject}, ${subject}.dlq: stream ${owner} (${owner.toLowerCase()}.*) already takes those subjects; name that stream in the source's "stream", or change its subjects`,
    });
    await operator('DELETE', `/v1/sources/${key}`);
  });

  it('on a stream that existed without the source\'s subject, changes nothing, says why, and consumes once the stream takes it', async () => {
    const stream = uniqueName('KAIROS_TEST_OTHER');
    streams.push(stream);
    const taken = `${stream.toLowerCase()}.refunds`;
    const subject = `${stream.toLowerCase()}.paid`;
    await publisher.createStream(stream, [taken]);
    const key = uniqueName('nats-other').toLowerCase();
    expect((await operator('POST', '/v1/sources', { key, broker: 'nats', stream, subject, mapping: orderPaidMapping })).status).toBe(201);
    const refused = await refusal(key);
    expect({ state: refused.state, lastError: refused.lastError }).toEqual({
      state: 'connecting',
      lastError: expect.stringContaining(`stream ${stream} does not take ${subject} (its subjects: ${taken})`),
    });
    // Not even its dead-letter subject was added: the stream is as its owner left it.
    expect(await publisher.streamSubjects(stream)).toEqual([taken]);

    await publisher.setStreamSubjects(stream, [taken, subject]);
    await eventually(async () => ((await operator('GET', `/v1/sources/${key}`)).body.state === 'consuming' ? true : undefined));
    await publisher.publish(subject, orderPaid(61, 'nats-other-ok'));
    await eventually(async () => ((await eventsOf('nats-other-ok')) === 1 ? true : undefined));
  });

  it("consumes through an existing durable with a backoff list and a max_deliver, lifting the cap as far as this server takes it", async () => {
    const stream = uniqueName('KAIROS_TEST_BACKOFF');
    streams.push(stream);
    const subject = `${stream.toLowerCase()}.paid`;
    await publisher.createStream(stream, [subject, `${subject}.dlq`]);
    const durable = uniqueName('backoff');
    // Servers before 2.10.14 refuse a max_deliver at or below the backoff's length, -1 (unlimited) included. Entries of
    // seconds (the keep-alive comes every 3 s): a store delayed by a loaded machine is not handed out again and counted twice.
    await publisher.createDurable(stream, durable, subject, 'explicit', { maxDeliver: 5, backoffMs: [10_000, 20_000] });
    const key = uniqueName('nats-backoff').toLowerCase();
    expect((await operator('POST', '/v1/sources', { key, broker: 'nats', stream, subject, durable, mapping: orderPaidMapping })).status).toBe(201);
    await eventually(async () => ((await operator('GET', `/v1/sources/${key}`)).body.state === 'consuming' ? true : undefined));
    expect(await publisher.maxDeliver(stream, durable)).toBeGreaterThan(1_000_000);
    await publisher.publish(subject, orderPaid(46_000, 'nats-backoff-1'));
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_consumed_total', key) === 1 ? true : undefined));
    // The next connect (a restart, another instance) finds the cap lifted: nothing to change, nothing to warn about.
    const probe = deadLetterProbe();
    const again = new NatsConsumer(SourceDefinition.parse({ key: `${key}-again`, broker: 'nats', stream, subject, durable, mapping: orderPaidMapping }) as NatsSource, {
      servers: ['127.0.0.1:4222'],
      ...probe.deps,
      batchBytes: 5 * 1024 * 1024,
      eventsRetentionDays: 90,
    });
    again.start();
    try {
      await eventually(async () => (again.connected ? true : undefined));
      expect(probe.warnings().filter((w) => w.includes('max_deliver'))).toEqual([]);
    } finally {
      await again.stop();
    }
  });

  it('refuses to consume through an existing durable that does not ack explicitly, saying why, since a failed store would lose its message', async () => {
    const stream = uniqueName('KAIROS_TEST_ACK');
    streams.push(stream);
    const subject = `${stream.toLowerCase()}.paid`;
    await publisher.createStream(stream, [subject, `${subject}.dlq`]);
    const durable = uniqueName('acks-none');
    await publisher.createDurable(stream, durable, subject, 'none');
    const key = uniqueName('nats-ack').toLowerCase();
    expect((await operator('POST', '/v1/sources', { key, broker: 'nats', stream, subject, durable, mapping: orderPaidMapping })).status).toBe(201);
    const refused = await refusal(key);
    expect({ state: refused.state, lastError: refused.lastError }).toEqual({
      state: 'connecting',
      lastError: expect.stringContaining(`the durable consumer ${durable} on stream ${stream} exists with ack policy "none"; Kairos needs "explicit"`),
    });
  });

  /** A stream and, on it, a durable an operator made with `limits` (as `nats consumer add --max-pull-batch …` would). */
  async function operatorsDurable(name: string, limits: Partial<ConsumerConfig>) {
    const stream = uniqueName(name);
    streams.push(stream);
    const subject = `${stream.toLowerCase()}.paid`;
    await publisher.createStream(stream, [subject, `${subject}.dlq`]);
    const key = uniqueName('nats-op').toLowerCase();
    const nc = await connect({ servers: ['127.0.0.1:4222'] });
    try {
      await (await nc.jetstreamManager()).consumers.add(stream, { durable_name: `kairos-${key}`, ack_policy: AckPolicy.Explicit, filter_subject: subject, ...limits });
    } finally {
      await nc.close();
    }
    return { stream, subject, key };
  }

  it("pulls no more than an existing durable's max_batch at a time, instead of having every pull refused while it looks consuming (review-56-sources, finding 2)", async () => {
    const { stream, subject, key } = await operatorsDurable('KAIROS_TEST_MAXBATCH', { max_batch: 10 });
    expect((await operator('POST', '/v1/sources', { key, broker: 'nats', stream, subject, prefetch: 200, mapping: orderPaidMapping })).status).toBe(201);
    await eventually(async () => ((await operator('GET', `/v1/sources/${key}`)).body.state === 'consuming' ? true : undefined));
    // More than one pull's worth.
    for (let n = 0; n < 15; n++) await publisher.publish(subject, orderPaid(62_000 + n, `nats-maxbatch-${n}`));
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_consumed_total', key) === 15 ? true : undefined));
  });

  it("refuses an existing durable whose max_expires is shorter than a pull waits, saying why, rather than look consuming and take nothing (review-56-sources, finding 2)", async () => {
    const { stream, subject, key } = await operatorsDurable('KAIROS_TEST_MAXEXPIRES', { max_expires: nanos(500) });
    expect((await operator('POST', '/v1/sources', { key, broker: 'nats', stream, subject, mapping: orderPaidMapping })).status).toBe(201);
    const refused = await refusal(key);
    expect({ state: refused.state, lastError: refused.lastError }).toEqual({
      state: 'connecting',
      lastError: `the durable consumer kairos-${key} on stream ${stream} has max_expires 500 ms, and each pull of Kairos waits 1000 ms, so the server would refuse every one: raise its max_expires to at least 1000 ms (or 0, no limit), or name another durable`,
    });
  });

  it("refuses an existing durable that delivers headers only, saying why, rather than dead-letter every message without its body and acknowledge it (review-62-mq, finding 1)", async () => {
    const { stream, subject, key } = await operatorsDurable('KAIROS_TEST_HEADERSONLY', { headers_only: true });
    expect((await operator('POST', '/v1/sources', { key, broker: 'nats', stream, subject, mapping: orderPaidMapping })).status).toBe(201);
    await publisher.publish(subject, orderPaid(64_000, 'nats-headers-only'));
    const refused = await refusal(key);
    expect({ state: refused.state, lastError: refused.lastError }).toEqual({
      state: 'connecting',
      lastError: `the durable consumer kairos-${key} on stream ${stream} delivers headers only (headers_only), so Kairos would read no message body and dead-letter every message: set headers_only off, or name another durable`,
    });
    expect(await eventsOf('nats-headers-only')).toBe(0);
    expect(await publisher.read(stream, `${subject}.dlq`)).toEqual([]);
    // Nothing acknowledged: the message waits in the durable.
    expect(await publisher.pending(stream, `kairos-${key}`)).toBe(1);
    await operator('DELETE', `/v1/sources/${key}`);
  });

  it("hands back what a shared durable gives it on a subject its own version does not consume, so an instance still on a source's old subject stores no wrong events (review-62-mq, finding 2)", async () => {
    const stream = uniqueName('KAIROS_TEST_RESUBJECT');
    streams.push(stream);
    const prefix = stream.toLowerCase();
    await publisher.createStream(stream, [`${prefix}.>`]);
    const key = uniqueName('nats-resubject').toLowerCase();
    const stored: Array<{ by: string; type: string }> = [];
    // Two API instances of one source: one on version 1, one already on version 2 (another subject, another type).
    const instance = (name: string, subject: string, type: string) => {
      const sink = {
        ingest: async (events: readonly IncomingEvent[]) => {
          stored.push(...events.map((e) => ({ by: name, type: e.type })));
          return { results: events.map((e) => ({ id: e.id, status: 'accepted' as const })) };
        },
      };
      // Prefetch 1: each pull asks for one message, so the server hands them to the two instances in turn.
      const def = SourceDefinition.parse({ key, broker: 'nats', stream, subject, prefetch: 1, mapping: { ...orderPaidMapping, type: { const: type } } }) as NatsSource;
      const deps = { servers: ['127.0.0.1:4222'], sink, propertiesCapBytes: 65_536, batchBytes: 5 * 1024 * 1024, bodyCapBytes: 5 * 1024 * 1024, metrics: new SourceMetrics(new Registry()), log: { warn: () => undefined } };
      // Events kept for ever: the durable starts at the stream's beginning (nats-server 2.9 refuses to change the filter of
      // a durable made with a start time, "start time can not be updated", and the second instance would not consume).
      return new NatsConsumer(def, { ...deps, eventsRetentionDays: 0 });
    };
    const v1 = instance('v1', `${prefix}.paid`, 'order.paid');
    const v2 = instance('v2', `${prefix}.refunded`, 'order.refunded');
    v1.start();
    try {
      await eventually(async () => (v1.connected ? true : undefined));
      // Its connect sets the durable's filter to the new subject; v1 goes on pulling from the same durable.
      v2.start();
      await eventually(async () => (v2.connected ? true : undefined));
      for (let n = 0; n < 20; n++) await publisher.publish(`${prefix}.refunded`, orderPaid(64_100 + n, `nats-resubject-${n}`));
      await eventually(async () => (stored.length >= 20 ? true : undefined), 60_000);
      // A pull's worth of time for more to be stored, were any taken twice.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(stored).toEqual(Array.from({ length: 20 }, () => ({ by: 'v2', type: 'order.refunded' })));
      expect(v1.lastError).toMatch(new RegExp(`^the durable consumer kairos-${key} hands out messages on ${prefix}\\.refunded, which this instance's version of the source \\(subject ${prefix}\\.paid\\) does not consume`));
    } finally {
      await v1.stop();
      await v2.stop();
    }
  });

  it('stops within its grace though a store never returns, instead of holding every later source change and the shutdown (review-56-sources, finding 3)', async () => {
    const stream = uniqueName('KAIROS_TEST_HUNG');
    streams.push(stream);
    const subject = `${stream.toLowerCase()}.paid`;
    await publisher.createStream(stream, [subject, `${subject}.dlq`]);
    let storing = false;
    // A commit waiting on a synchronous standby that is down: it never returns.
    const sink = {
      ingest: () => {
        storing = true;
        return new Promise<never>(() => undefined);
      },
    };
    const def = SourceDefinition.parse({ key: uniqueName('nats-hung').toLowerCase(), broker: 'nats', stream, subject, mapping: orderPaidMapping }) as NatsSource;
    const sourceMetrics = new SourceMetrics(new Registry());
    const consumer = new NatsConsumer(def, {
      servers: ['127.0.0.1:4222'],
      sink,
      propertiesCapBytes: 65_536,
      batchBytes: 5 * 1024 * 1024,
      bodyCapBytes: 5 * 1024 * 1024,
      metrics: sourceMetrics,
      log: { warn: () => undefined },
      eventsRetentionDays: 90,
      stopGraceMs: 200,
    });
    consumer.start();
    await eventually(async () => (consumer.connected ? true : undefined));
    await publisher.publish(subject, orderPaid(62_100, 'nats-hung'));
    await eventually(async () => (storing ? true : undefined));
    await eventually(async () => ((await sourceMetrics.lag.get()).values.length === 1 ? true : undefined));
    // Far beyond the grace: the old stop waited for the store, for ever.
    const outcome = await Promise.race([consumer.stop().then(() => 'stopped'), new Promise((r) => setTimeout(r, 15_000).unref()).then(() => 'still waiting')]);
    expect(outcome).toBe('stopped');
    expect(consumer.connected).toBe(false);
    // No longer read, so no value: the last one stayed for good, as for a source whose definition turned invalid (review-62-mq, finding 3).
    expect((await sourceMetrics.lag.get()).values).toEqual([]);
  });

  it('refuses a stream whose retention would drop dead letters (interest, workqueue) or that confirms no publish (no_ack), saying why, and changes nothing', async () => {
    // Made as a publisher would (`nats stream add --retention interest`); NatsPublisher makes limits streams only.
    const nc = await connect({ servers: ['127.0.0.1:4222'] });
    try {
      const jsm = await nc.jetstreamManager();
      for (const [kind, config, said] of [
        ['interest', { retention: RetentionPolicy.Interest }, /has retention "interest", which would remove the dead letters/],
        ['workqueue', { retention: RetentionPolicy.Workqueue }, /has retention "workqueue", which would remove the dead letters/],
        ['noack', { no_ack: true }, /does not acknowledge publishes \(no_ack\)/],
      ] as const) {
        const stream = uniqueName(`KAIROS_TEST_${kind.toUpperCase()}`);
        streams.push(stream);
        const subject = `${stream.toLowerCase()}.paid`;
        await jsm.streams.add({ name: stream, subjects: [subject], ...config });
        const key = uniqueName(`nats-${kind}`).toLowerCase();
        expect((await operator('POST', '/v1/sources', { key, broker: 'nats', stream, subject, mapping: orderPaidMapping })).status).toBe(201);
        const refused = await refusal(key);
        expect({ kind, state: refused.state, lastError: refused.lastError }).toEqual({ kind, state: 'connecting', lastError: expect.stringMatching(said) });
        // Checked before anything is changed: no dead-letter subject added, no durable made.
        expect(await publisher.streamSubjects(stream)).toEqual([subject]);
        expect(await jsm.consumers.info(stream, `kairos-${key}`).catch(() => 'none')).toBe('none');
        await operator('DELETE', `/v1/sources/${key}`);
      }
    } finally {
      await nc.close();
    }
  });

  it('when its connection closes for good while PostgreSQL is away and it holds messages, says so and connects anew, with no unhandled rejection (that would end the API)', async () => {
    const unhandled: unknown[] = [];
    const note = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', note);
    const stream = uniqueName('KAIROS_TEST_CLOSED');
    streams.push(stream);
    const subject = `${stream.toLowerCase()}.paid`;
    await publisher.createStream(stream, [subject, `${subject}.dlq`]);
    for (let n = 0; n < 3; n++) await publisher.publish(subject, orderPaid(47_000 + n, `nats-closed-${n}`));
    // The probe's sink fails every store as PostgreSQL away would: the batch in hand is retried (keepAlive before each
    // retry), the next waits in the lane, and the pull loop waits for room (prefetch 2).
    const probe = deadLetterProbe();
    const def = SourceDefinition.parse({ key: uniqueName('nats-closed').toLowerCase(), broker: 'nats', stream, subject, prefetch: 2, concurrency: 1, maxBatch: 1, mapping: orderPaidMapping }) as NatsSource;
    const consumer = new NatsConsumer(def, { servers: ['127.0.0.1:4222'], ...probe.deps, batchBytes: 5 * 1024 * 1024, eventsRetentionDays: 90 });
    consumer.start();
    try {
      await eventually(async () => ((await probe.unacknowledged()) === 2 && probe.warnings().some((w) => w.includes('could not store')) ? true : undefined));
      // As nats.js does after two identical auth errors (credentials revoked), whatever maxReconnectAttempts says: closed for good.
      await (consumer as unknown as { nc: NatsConnection }).nc.close();
      await eventually(async () => (probe.warnings().some((w) => w.includes('the connection to NATS closed')) ? true : undefined));
      await eventually(async () => (consumer.connected ? true : undefined));
      expect(unhandled).toEqual([]);
    } finally {
      await consumer.stop();
      process.off('unhandledRejection', note);
    }
  });

  /** What a stream and its durable were made with, read from the server. */
  async function serverConfig(stream: string, durable: string) {
    const nc = await connect({ servers: ['127.0.0.1:4222'] });
    try {
      const jsm = await nc.jetstreamManager();
      return { stream: (await jsm.streams.info(stream)).config, durable: (await jsm.consumers.info(stream, durable)).config };
    } finally {
      await nc.close();
    }
  }

  /** A consumer this test builds, whose sink records the ids it is handed (each stored after `storeMs`, as new). */
  async function consumerInfo(stream: string, durable: string) {
    const nc = await connect({ servers: ['127.0.0.1:4222'] });
    try {
      return { durable: await (await nc.jetstreamManager()).consumers.info(stream, durable) };
    } finally {
      await nc.close();
    }
  }
  function recordingConsumer(def: Record<string, unknown>, opts: { eventsRetentionDays: number; newDurableMarginMs?: number; storeMs?: (call: number) => number }) {
    const ids: string[] = [];
    const sink = {
      ingest: async (events: readonly IncomingEvent[]) => {
        const wait = opts.storeMs?.(ids.length) ?? 0;
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        ids.push(...events.map((e) => e.id));
        return { results: events.map((e) => ({ id: e.id, status: 'accepted' as const })) };
      },
    };
    const parsed = SourceDefinition.parse({ key: uniqueName('nats-rec').toLowerCase(), broker: 'nats', mapping: orderPaidMapping, ...def }) as NatsSource;
    const deps = { servers: ['127.0.0.1:4222'], sink, propertiesCapBytes: 65_536, batchBytes: 5 * 1024 * 1024, bodyCapBytes: 5 * 1024 * 1024, metrics: new SourceMetrics(new Registry()), log: { warn: () => undefined } };
    return { consumer: new NatsConsumer(parsed, { ...deps, eventsRetentionDays: opts.eventsRetentionDays, newDurableMarginMs: opts.newDurableMarginMs }), ids };
  }

  it("does not promise in PUT's summary that a new NATS durable or stream consumes what the old durable held (review-62-mq, finding 4)", async () => {
    const docs = await sut.request('GET', '/docs');
    const summary: string = docs.body.paths['/v1/sources/{key}'].put.summary;
    expect(summary).not.toContain('Unacknowledged messages stay in the broker and are consumed by the new definition.');
    expect(summary).toMatch(/On NATS, a new `durable` or `stream` is a new durable consumer, .*: what the old durable had not acknowledged before that point stays with it, unconsumed\./);
  });

  it('creates its stream keeping messages no longer than the events window, and starts a new durable within it (review-52, finding 1)', async () => {
    const { stream, durable } = await addSource();
    const { stream: created, durable: made } = await serverConfig(stream, durable);
    // RETENTION_EVENTS_DAYS, 90 by default: a message older than that may be an event retention pruned, new again if replayed.
    const window = 90 * 86_400_000;
    expect(created.max_age).toBe(nanos(window));
    expect(made.deliver_policy).toBe(DeliverPolicy.StartTime);
    // A day and some clock skew inside the window (review-52-diff, finding 4).
    expect(Math.abs(Date.parse(made.opt_start_time!) - (Date.now() - window + NEW_DURABLE_MARGIN_MS))).toBeLessThan(120_000);
  });

  /**
   * Three consumers this file builds itself, each on a stream, subjects and durables of its own (uniqueName), with
   * neither the SUT, the proxy nor a broker restart: they mostly wait on purpose (a 35 s store, a 13 s store, a 3 s
   * events window), so they wait side by side. beforeAll starts all three; each scenario runs exactly as it would alone
   * (its own durations, its own try/finally stopping its consumers) and hands back what it saw, or the error it met,
   * for its test to assert. The afterAll waits for all three, so none is left running if a test failed or timed out.
   */
  describe('consumers built here, waiting out their windows side by side', () => {
    type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };
    const settle = <T>(run: () => Promise<T>): Promise<Outcome<T>> =>
      run().then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      );
    const seen = async <T>(outcome: Promise<Outcome<T>>): Promise<T> => {
      const o = await outcome;
      if (!o.ok) throw o.error;
      return o.value;
    };
    /**
     * Each scenario publishes through a NatsPublisher of its own, closed when it ends: the file's one connects on first
     * use, and three first uses at once would each open a connection, two of them never closed.
     */
    const withOwnPublisher =
      <T>(run: (pub: NatsPublisher) => Promise<T>) =>
      async (): Promise<T> => {
        const pub = new NatsPublisher();
        try {
          return await run(pub);
        } finally {
          await pub.close();
        }
      };

    async function newDurableWithinWindow(pub: NatsPublisher) {
      const stream = uniqueName('KAIROS_TEST_WINDOW');
      streams.push(stream);
      const subject = `${stream.toLowerCase()}.paid`;
      await pub.createStream(stream, [subject, `${subject}.dlq`]);
      const existing = uniqueName('existing');
      await pub.createDurable(stream, existing, subject, 'explicit');
      await pub.publish(subject, orderPaid(48_001, 'nats-window-old'));
      // A window of 3 s stands for 90 days, a margin of 1 s for NEW_DURABLE_MARGIN_MS: the new durable starts 2 s back, so
      // the first message, still inside the window, is in the margin when the sources start.
      const windowDays = 3 / 86_400;
      await new Promise((r) => setTimeout(r, 2_500));
      await pub.publish(subject, orderPaid(48_002, 'nats-window-new'));
      const fresh = recordingConsumer({ stream, subject, durable: uniqueName('fresh') }, { eventsRetentionDays: windowDays, newDurableMarginMs: 1_000 });
      const kept = recordingConsumer({ stream, subject, durable: existing }, { eventsRetentionDays: windowDays });
      fresh.consumer.start();
      kept.consumer.start();
      try {
        await eventually(async () => (fresh.ids.length >= 1 && kept.ids.length >= 2 ? true : undefined));
        // A pull's worth of time for anything older to arrive, were it to.
        await new Promise((r) => setTimeout(r, 1_500));
        const ids = { fresh: [...fresh.ids], kept: [...kept.ids] };
        const { stream: config, durable } = await serverConfig(stream, existing);
        return { ids, config, durable };
      } finally {
        await fresh.consumer.stop();
        await kept.consumer.stop();
      }
    }

    async function slowStorePastAckWait(pub: NatsPublisher) {
      const stream = uniqueName('KAIROS_TEST_SLOW');
      streams.push(stream);
      const subject = `${stream.toLowerCase()}.paid`;
      await pub.createStream(stream, [subject, `${subject}.dlq`]);
      // One lane, a batch of one: the second message waits in the lane while the first is stored for 35 s (ack wait: 30 s).
      const { consumer, ids } = recordingConsumer({ stream, subject, prefetch: 10, concurrency: 1, maxBatch: 1 }, { eventsRetentionDays: 90, storeMs: (call) => (call === 0 ? 35_000 : 0) });
      await pub.publish(subject, orderPaid(49_001, 'nats-slow'));
      await pub.publish(subject, orderPaid(49_002, 'nats-slow'));
      consumer.start();
      try {
        await eventually(async () => (ids.length >= 2 ? true : undefined), 60_000);
        // Redelivered copies would have been pulled at 30 s, and stored right behind these.
        await new Promise((r) => setTimeout(r, 1_500));
        return [...ids];
      } finally {
        await consumer.stop();
      }
    }

    async function slowStorePastBackoffEntry(pub: NatsPublisher) {
      const stream = uniqueName('KAIROS_TEST_SLOW_BACKOFF');
      streams.push(stream);
      const subject = `${stream.toLowerCase()}.paid`;
      await pub.createStream(stream, [subject, `${subject}.dlq`]);
      // The server hands a message out again 6 s after its delivery, whatever ack_wait Kairos sets (it becomes the first entry).
      // Kept alive every 2 s (a third of it), a redelivery needs a keep-alive 4 s late: not a loaded machine's pause. The old
      // interval (a third of the 30 s ack_wait Kairos asks for) let the server hand it out again at 6 s.
      const durable = uniqueName('slow-backoff');
      // (Servers before 2.10.14 refuse a backoff list without a max_deliver above its length.)
      await pub.createDurable(stream, durable, subject, 'explicit', { maxDeliver: 5, backoffMs: [6_000, 12_000] });
      let storing = false;
      const slowFirst = (call: number) => {
        if (call > 0) return 0;
        storing = true;
        return 13_000;
      };
      const { consumer, ids } = recordingConsumer({ stream, subject, durable, concurrency: 1, maxBatch: 1 }, { eventsRetentionDays: 90, storeMs: slowFirst });
      await pub.publish(subject, orderPaid(49_101, 'nats-slow-backoff'));
      consumer.start();
      try {
        await eventually(async () => (storing ? true : undefined), 20_000);
        // 3 s past the first entry, the store still running: the server counts a redelivery it made (it forgets it at the ack).
        await new Promise((r) => setTimeout(r, 9_000));
        const { durable: whileStoring } = await consumerInfo(stream, durable);
        await eventually(async () => (ids.length >= 1 ? true : undefined), 30_000);
        // A redelivered copy (at 6 s) would have waited in the lane, and been stored right behind the first.
        await new Promise((r) => setTimeout(r, 2_000));
        return { ids: [...ids], redelivered: whileStoring.num_redelivered };
      } finally {
        await consumer.stop();
      }
    }

    let inWindow: Promise<Outcome<Awaited<ReturnType<typeof newDurableWithinWindow>>>>;
    let slow: Promise<Outcome<Awaited<ReturnType<typeof slowStorePastAckWait>>>>;
    let backoff: Promise<Outcome<Awaited<ReturnType<typeof slowStorePastBackoffEntry>>>>;
    beforeAll(() => {
      inWindow = settle(withOwnPublisher(newDurableWithinWindow));
      slow = settle(withOwnPublisher(slowStorePastAckWait));
      backoff = settle(withOwnPublisher(slowStorePastBackoffEntry));
    });
    afterAll(async () => {
      // Settled promises: this only waits until every scenario has stopped its consumers and closed its publisher.
      await Promise.all([inWindow, slow, backoff]);
    });

    it("on a stream someone else made, a new durable takes nothing older than the events window, the stream keeps its own limits, and an existing durable starts where it did (review-52, finding 1)", async () => {
      const { ids, config, durable } = await seen(inWindow);
      expect(ids).toEqual({ fresh: ['order.paid:48002'], kept: ['order.paid:48001', 'order.paid:48002'] });
      expect({ maxAge: config.max_age, policy: durable.deliver_policy }).toEqual({ maxAge: 0, policy: DeliverPolicy.All });
    });

    it('keeps the messages it holds alive while a slow store runs past the ack wait, so none comes again as a duplicate (review-52, finding 3)', async () => {
      const ids = await seen(slow);
      expect(ids).toEqual(['order.paid:49001', 'order.paid:49002']);
    });

    it("keeps a held message alive within an existing durable's shortest backoff entry, not only its ack wait, so a store slower than that entry takes it once (review-52-diff, finding 2)", async () => {
      expect(await seen(backoff)).toEqual({ ids: ['order.paid:49101'], redelivered: 0 });
    });
  });

  it('loses nothing and applies nothing twice through a server restart mid-stream', async () => {
    const { key, subject } = await addSource();
    const total = 300;
    const publish = async (from: number, to: number) => {
      for (let n = from; n < to; n++) await publisher.publish(subject, orderPaid(20_000 + n, `nats-restart-${n}`), { msgId: `r-${n}` });
    };
    await publish(0, total / 2);
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_consumed_total', key) > 50 ? true : undefined));
    // The second half goes in while the broker restarts and after: only a consumer that reconnected can take it.
    const restarting = restartBroker('nats');
    await publish(total / 2, total);
    await restarting;
    await eventually(async () => ((await eventsOf('nats-restart-')) >= total ? true : undefined), 90_000);
    expect(await eventsOf('nats-restart-')).toBe(total);
    await eventually(async () => ((await pointsOf('nats-restart-')) === total * 10 ? true : undefined), 60_000);
    expect(await count(`select count(*)::int as n from rewards where user_id like 'nats-restart-%'`)).toBe(total);
  });

  it('stops taking messages while PostgreSQL is down, acknowledges nothing, and catches up once it is back', async () => {
    const { key, stream, subject, durable } = await addSource({ prefetch: 10, concurrency: 1, maxBatch: 5 });
    for (let n = 0; n < 20; n++) await publisher.publish(subject, orderPaid(40_000 + n, `nats-pg-${n}`));
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_consumed_total', key) === 20 ? true : undefined));
    await sut.databaseProxy!.stop();
    for (let n = 20; n < 80; n++) await publisher.publish(subject, orderPaid(40_000 + n, `nats-pg-${n}`));
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_store_retries_total', key) >= 3 ? true : undefined));
    // What the broker's lag leaves out: the prefetch's worth this instance holds unacknowledged.
    await eventually(async () => (unacknowledged(await metrics(), key) === 10 ? true : undefined));
    // About the prefetch was pulled, not the stream, and none of it acknowledged. A pull that expires as the server sends
    // it a message leaves that message delivered but not taken (JetStream hands it out again after ack_wait): one pull's
    // worth of slack, so a loaded machine does not fail this (seen once: 49 of 60 left).
    expect(await publisher.pending(stream, durable)).toBeGreaterThanOrEqual(60 - 2 * 10);
    expect(sourceMetric(await metrics(), 'kairos_source_consumed_total', key)).toBe(20);
    await sut.databaseProxy!.start();
    await eventually(async () => (sourceMetric(await metrics(), 'kairos_source_consumed_total', key) === 80 ? true : undefined), 60_000);
    await eventually(async () => (unacknowledged(await metrics(), key) === 0 ? true : undefined));
    expect(await eventsOf('nats-pg-')).toBe(80);
    await eventually(async () => ((await pointsOf('nats-pg-')) === 800 ? true : undefined), 60_000);
  });
});
