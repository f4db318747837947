import { EventEmitter } from 'node:events';
import type { ConsumeMessage } from 'amqplib';
import { Registry } from 'prom-client';
import type { EventSink } from './event-sink';
import { RabbitMqConsumer } from './rabbitmq-consumer';
import { Backoff } from '../retry/backoff';
import { RabbitMqSource } from './source-definition';
import { SourceMetrics } from './source-metrics';

/**
 * A broker as amqplib shows it, enough to declare, bind, consume and publish:
 * what it refuses (a queue or exchange declared again with other arguments or
 * type, a passive check of one that is absent, a publish it does not take)
 * closes the channel it was asked on, with AMQP's reply code and text, and
 * every later call there fails. Connections are kept apart: each has its
 * channels, its confirms awaited, and whether it published.
 */
class FakeBroker {
  readonly queues = new Map<string, Record<string, unknown>>();
  readonly exchanges = new Map<string, string>();
  readonly bindings: Array<[string, string, string]> = [];
  readonly declared: string[] = [];
  readonly acked: ConsumeMessage[] = [];
  /** Messages put back in the queue (a nack with requeue). */
  readonly nacked: ConsumeMessage[] = [];
  /** Acks a blocked connection sent: during an alarm the broker does not read them. */
  readonly blockedAcks: ConsumeMessage[] = [];
  /** Every publish the broker took, with its options. */
  readonly published: Array<{ exchange: string; content: Buffer; options: { userId?: string; headers: Record<string, unknown> } }> = [];
  /** The name of each connection opened, in order. */
  readonly connectionNames: string[] = [];
  /** When each consume began. */
  readonly consumedAt: number[] = [];
  /** Dead letters the exchange routes nowhere, this many more times: each comes back (`return`) before its confirm. */
  returnNext = 0;
  /** Publishes the broker refuses next, closing the channel each came on (an exchange deleted meanwhile, access refused). */
  readonly refuseNext: Array<{ code: number; text: string }> = [];
  /** Set: the broker closes each consuming channel with this error right after its consume (a session that dies at once). */
  closeAfterConsume: string | undefined;
  deliver: ((msg: ConsumeMessage | null) => void) | undefined;
  /**
   * A memory or disk alarm: the broker blocks each connection that
   * publishes ('blocked'), and reads nothing more from it: no publish is
   * confirmed, no ack taken, no close handshake answered; only the socket
   * going away ends them (then amqplib fails each confirm still awaited,
   * and the broker puts back what was not acked). Connections that only
   * consume go on.
   */
  alarm = false;
  private readonly open: Array<{ blocked: boolean; awaitingConfirm: Array<(err: unknown) => void>; emit(event: string, ...args: unknown[]): void; gone(): void }> = [];

  connection(name: string) {
    this.connectionNames.push(name);
    const conn = new EventEmitter();
    const state = { blocked: false, closed: false, awaitingConfirm: [] as Array<(err: unknown) => void>, channels: [] as EventEmitter[], emit: (event: string, ...args: unknown[]) => conn.emit(event, ...args) };
    const gone = () => {
      if (state.closed) return;
      state.closed = true;
      for (const confirmed of state.awaitingConfirm.splice(0)) confirmed(new Error('channel closed'));
      for (const ch of state.channels.splice(0)) ch.emit('close');
      conn.emit('close');
    };
    this.open.push(Object.assign(state, { gone }));
    const channel = async () => {
      if (state.closed) throw new Error('Connection closed');
      return this.channel(state);
    };
    return Object.assign(conn, {
      createChannel: channel,
      createConfirmChannel: channel,
      close: () => (state.blocked ? new Promise<void>(() => undefined) : Promise.resolve(gone())),
      // As amqplib: a destroy with an error reaches it ('error'); a bare one emits only 'close', which it does not hear.
      connection: { stream: { destroy: (err?: Error) => void (err && gone()) } },
      gone,
    });
  }

  /** The broker restarts: every connection drops. */
  dropAll(): void {
    for (const state of this.open.splice(0)) state.gone();
  }

  /** The alarm ends: blocked connections are read again, their confirms come. */
  endAlarm(): void {
    this.alarm = false;
    for (const state of this.open) {
      if (!state.blocked) continue;
      state.blocked = false;
      state.emit('unblocked');
      for (const confirmed of state.awaitingConfirm.splice(0)) confirmed(null);
    }
  }

  private channel(conn: { blocked: boolean; awaitingConfirm: Array<(err: unknown) => void>; channels: EventEmitter[]; emit(event: string, ...args: unknown[]): void }) {
    const ch = new EventEmitter();
    conn.channels.push(ch);
    let closedBy: Error | undefined;
    const mine: Array<(err: unknown) => void> = [];
    const shut = (code: number, text: string, operation: string) => {
      closedBy = Object.assign(new Error(`Operation failed: ${operation}; ${code} (${text.split(' ')[0]}) with message "${text}"`), { code });
      for (const confirmed of mine.splice(0)) confirmed(new Error('channel closed'));
      ch.emit('error', closedBy);
      ch.emit('close');
      return closedBy;
    };
    const refuse = (code: number, text: string, operation: string) => {
      throw shut(code, text, operation);
    };
    const open = () => {
      if (closedBy) throw new Error('Channel closed');
    };
    return Object.assign(ch, {
      checkQueue: async (q: string) => {
        open();
        if (!this.queues.has(q)) refuse(404, `NOT_FOUND - no queue '${q}' in vhost '/'`, 'QueueDeclare');
        return { queue: q, messageCount: 0, consumerCount: 0 };
      },
      assertQueue: async (q: string, opts: { deadLetterExchange?: string } = {}) => {
        open();
        const args: Record<string, unknown> = opts.deadLetterExchange ? { 'x-dead-letter-exchange': opts.deadLetterExchange } : {};
        const current = this.queues.get(q);
        if (current && JSON.stringify(current) !== JSON.stringify(args)) {
          const [name, value] = Object.entries(current).find(([k, v]) => args[k] !== v) ?? Object.entries(args)[0];
          refuse(406, `PRECONDITION_FAILED - inequivalent arg '${name}' for queue '${q}' in vhost '/': received none but current is the value '${String(value)}'`, 'QueueDeclare');
        }
        this.declared.push(`queue ${q}`);
        this.queues.set(q, args);
        return { queue: q, messageCount: 0, consumerCount: 0 };
      },
      assertExchange: async (x: string, type: string) => {
        open();
        const current = this.exchanges.get(x);
        if (current && current !== type) refuse(406, `PRECONDITION_FAILED - inequivalent arg 'type' for exchange '${x}' in vhost '/': received '${type}' but current is '${current}'`, 'ExchangeDeclare');
        if (!current) this.declared.push(`exchange ${x}`);
        this.exchanges.set(x, type);
        return { exchange: x };
      },
      bindQueue: async (q: string, x: string, key: string) => {
        open();
        if (!this.queues.has(q)) refuse(404, `NOT_FOUND - no queue '${q}' in vhost '/'`, 'QueueBind');
        this.bindings.push([q, x, key]);
      },
      prefetch: async () => open(),
      consume: async (_q: string, onMessage: (msg: ConsumeMessage | null) => void) => {
        open();
        this.deliver = onMessage;
        this.consumedAt.push(Date.now());
        const closing = this.closeAfterConsume;
        if (closing) setImmediate(() => shut(406, closing, 'BasicConsume'));
        return { consumerTag: 'c' };
      },
      // As amqplib's ConfirmChannel: the confirm callback is queued, then the publish is sent; a refusal comes back later, closing the channel.
      publish: (exchange: string, _key: string, content: Buffer, options: { userId?: string; headers: Record<string, unknown> }, confirmed: (err: unknown) => void) => {
        open();
        mine.push(confirmed);
        const settle = (err: unknown) => {
          const i = mine.indexOf(confirmed);
          if (i < 0) return;
          mine.splice(i, 1);
          confirmed(err);
        };
        // RabbitMQ's validated user-id: a user_id property other than the connection's user (here 'kairos') is refused.
        const refusal =
          options.userId !== undefined && options.userId !== 'kairos'
            ? { code: 406, text: `PRECONDITION_FAILED - user_id property set to '${options.userId}' but authenticated user was 'kairos'` }
            : this.exchanges.has(exchange)
              ? this.refuseNext.shift()
              : { code: 404, text: `NOT_FOUND - no exchange '${exchange}' in vhost '/'` };
        if (refusal) {
          setImmediate(() => shut(refusal.code, refusal.text, 'BasicPublish'));
          return true;
        }
        this.published.push({ exchange, content, options });
        if (this.returnNext > 0) {
          this.returnNext--;
          ch.emit('return', { content, fields: {}, properties: { headers: options.headers } });
        }
        if (this.alarm) {
          if (!conn.blocked) conn.emit('blocked', 'low on memory');
          conn.blocked = true;
          conn.awaitingConfirm.push(settle);
        } else setImmediate(() => settle(null));
        return true;
      },
      ack: (msg: ConsumeMessage) => void (conn.blocked ? this.blockedAcks : this.acked).push(msg),
      nack: (msg: ConsumeMessage) => void this.nacked.push(msg),
      close: async () => {
        open();
        closedBy = new Error('Channel closed');
        ch.emit('close');
      },
    });
  }
}

let broker: FakeBroker;
jest.mock('amqplib', () => ({ __esModule: true, default: { connect: async (_url: string, opts: { clientProperties: { connection_name: string } }) => broker.connection(opts.clientProperties.connection_name) } }));

const started: RabbitMqConsumer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((c) => c.stop()));
});

/** Stores every event it is given, as new. */
const accepting: EventSink = { ingest: async (events) => ({ results: events.map((e) => ({ id: e.id, status: 'accepted' as const })) }) };

function start(opts: { stopGraceMs?: number; sink?: EventSink; warn?: (line: string) => void; reconnectBackoff?: Backoff; redeliveriesShownMs?: number; metrics?: SourceMetrics } = {}): RabbitMqConsumer {
  const def = RabbitMqSource.parse({ key: 'orders', broker: 'rabbitmq', queue: 'orders', mapping: { id: 'id', type: { const: 'order.paid' }, userId: 'user' } });
  const consumer = new RabbitMqConsumer(def, {
    url: 'amqp://fake',
    sink: opts.sink ?? { ingest: () => Promise.reject(new Error('not used')) },
    propertiesCapBytes: 65_536,
    batchBytes: 5 * 1024 * 1024,
    bodyCapBytes: 5 * 1024 * 1024,
    metrics: opts.metrics ?? new SourceMetrics(new Registry()),
    log: { warn: opts.warn ?? (() => undefined) },
    lagEveryMs: 60_000,
    ...(opts.stopGraceMs === undefined ? {} : { stopGraceMs: opts.stopGraceMs }),
    ...(opts.reconnectBackoff === undefined ? {} : { reconnectBackoff: opts.reconnectBackoff }),
    ...(opts.redeliveriesShownMs === undefined ? {} : { redeliveriesShownMs: opts.redeliveriesShownMs }),
  });
  consumer.start();
  started.push(consumer);
  return consumer;
}

/**
 * Polls until `condition` holds. Its callers wait for something that should
 * happen within a few turns of the event loop: the budget only turns a hang
 * into a clear failure, and is long enough that a stalled CI machine does not
 * reach it (jest's own timeout, 5 s, bounds the whole test).
 */
async function until(condition: () => boolean, ms = 4_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('not within the time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const message = (body: string) => ({ content: Buffer.from(body), fields: { routingKey: 'orders' }, properties: { headers: {} } }) as unknown as ConsumeMessage;

/**
 * The consumer's backoff between sessions, recording each wait it hands out:
 * without jitter, and on a small scale (5 ms doubling to 80 ms, as the real
 * one goes from 250 ms to 5 s), so the test asserts on the waits chosen, not
 * on how long the machine took to sleep them.
 */
class RecordingBackoff extends Backoff {
  readonly waits: number[] = [];
  constructor() {
    super(5, 80, () => 0);
  }
  override next(): number {
    const wait = super.next();
    this.waits.push(wait);
    return wait;
  }
}

/** Messages the consumer holds because their dead letter failed (each goes back to the queue when its wait is over). */
const heldCount = (consumer: RabbitMqConsumer): number => (consumer as unknown as { held: Map<unknown, unknown> }).held.size;

describe('RabbitMqConsumer: <queue>.dlq and <queue>.dlx that exist are used as they are', () => {
  beforeEach(() => {
    broker = new FakeBroker();
  });

  it('consumes beside a <queue>.dlq declared with a length limit (declaring it again was refused, at every connect)', async () => {
    broker.queues.set('orders', {});
    broker.queues.set('orders.dlq', { 'x-max-length': 100_000, 'x-overflow': 'reject-publish' });
    const consumer = start();
    await until(() => consumer.connected);
    expect(consumer.lastError).toBeNull();
    expect(broker.queues.get('orders.dlq')).toEqual({ 'x-max-length': 100_000, 'x-overflow': 'reject-publish' });
    expect(broker.bindings).toContainEqual(['orders.dlq', 'orders.dlx', '']);
  });

  it('declares what is absent: the exchange, the dead-letter queue and the queue with its dead-letter exchange', async () => {
    const consumer = start();
    await until(() => consumer.connected);
    expect(broker.declared).toEqual(['exchange orders.dlx', 'queue orders.dlq', 'queue orders']);
    expect(broker.exchanges.get('orders.dlx')).toBe('fanout');
    expect(broker.queues.get('orders')).toEqual({ 'x-dead-letter-exchange': 'orders.dlx' });
  });

  it('says so when <queue>.dlx exists as another type than fanout, which would route the dead letters nowhere', async () => {
    broker.exchanges.set('orders.dlx', 'direct');
    const consumer = start();
    await until(() => consumer.lastError !== null);
    expect(consumer.connected).toBe(false);
    expect(consumer.lastError).toMatch(/^the exchange orders.dlx exists with another type than fanout \(.*current is 'direct'.*\); .*delete it/);
  });

  it('binds <queue>.dlq again while consuming, without declaring it again, when a dead letter was routed nowhere', async () => {
    broker.queues.set('orders', {});
    broker.queues.set('orders.dlq', { 'x-max-length': 100_000 });
    const consumer = start();
    await until(() => consumer.connected);
    const bound = broker.bindings.length;
    broker.returnNext = 1;
    const bad = message('not json');
    broker.deliver?.(bad);
    await until(() => broker.acked.includes(bad));
    expect(broker.bindings.slice(bound)).toEqual([['orders.dlq', 'orders.dlx', '']]);
    expect(consumer.connected).toBe(true);
    expect(broker.queues.get('orders.dlq')).toEqual({ 'x-max-length': 100_000 });
  });
});

describe('RabbitMqConsumer: stopping during a broker alarm (review-46-sources, finding 6)', () => {
  beforeEach(() => {
    broker = new FakeBroker();
    broker.queues.set('orders', {});
  });

  it('does not wait for the alarm to end: after its grace the connection is dropped, and the message goes back to the broker unacked', async () => {
    const consumer = start({ stopGraceMs: 50 });
    await until(() => consumer.connected);
    broker.alarm = true;
    // A message that fails mapping: its dead letter is published, and the alarm holds its confirm.
    const bad = message('not json');
    broker.deliver?.(bad);
    // Its dead letter is out, and its confirm held by the alarm.
    await until(() => broker.published.length === 1);
    // A stop that waited for the alarm to end would never return: jest's timeout fails the test then.
    await consumer.stop();
    expect(broker.acked).not.toContain(bad);
    expect(consumer.connected).toBe(false);
  });

  it('holds nothing once stopped: a dead letter that fails after the session ended is not kept back for a channel that is gone (review-51, finding 7)', async () => {
    const consumer = start({ stopGraceMs: 50 });
    await until(() => consumer.connected);
    broker.alarm = true;
    broker.deliver?.(message('not json'));
    await until(() => broker.published.length === 1);
    // The stop drops the connections after its grace: the dead letter's confirm fails then, after teardown began.
    await consumer.stop();
    expect(heldCount(consumer)).toBe(0);
  });
});

describe('RabbitMqConsumer: what it holds once a session ends (review-62-mq, finding 3)', () => {
  beforeEach(() => {
    broker = new FakeBroker();
    broker.queues.set('orders', {});
  });

  it('counts no delivery that comes while teardown waits for a batch under way: kairos_source_unacknowledged goes to 0, not above it until the next connect (or for good)', async () => {
    let release!: () => void;
    let storing = false;
    const sink: EventSink = {
      ingest: async (events) => {
        storing = true;
        await new Promise<void>((resolve) => (release = resolve));
        return accepting.ingest(events);
      },
    };
    const metrics = new SourceMetrics(new Registry());
    // No next connect within the test: what teardown leaves is what the gauge shows.
    const consumer = start({ sink, metrics, reconnectBackoff: new Backoff(60_000, 60_000, () => 0) });
    await until(() => consumer.connected);
    const deliver = broker.deliver!;
    deliver(message('{"id":"1","user":"u"}'));
    await until(() => storing);
    // The dead-letter connection goes: the session ends, and teardown waits for the batch being stored.
    (consumer as unknown as { deadLetterConnection: { gone(): void } }).deadLetterConnection.gone();
    await until(() => !consumer.connected);
    // The consuming channel is still open: the broker fills the prefetch slot the batch's ack frees.
    deliver(message('{"id":"2","user":"v"}'));
    release();
    await until(() => broker.acked.length === 1);
    await consumer.stop();
    expect((await metrics.unacknowledged.get()).values).toEqual([{ labels: { source: 'orders' }, value: 0 }]);
  });
});

describe('RabbitMqConsumer: dead letters go out on a connection of their own (review-51)', () => {
  beforeEach(() => {
    broker = new FakeBroker();
    broker.queues.set('orders', {});
  });

  it("dead-letters a message whose publisher set user_id without it (RabbitMQ refuses another user's), carrying it in x-kairos-original-user-id, on its first session (finding 1)", async () => {
    const consumer = start();
    await until(() => consumer.connected);
    const bad = { ...message('not json'), properties: { headers: { trace: 't-1' }, userId: 'shop', expiration: '60000' } } as unknown as ConsumeMessage;
    broker.deliver?.(bad);
    await until(() => broker.acked.includes(bad));
    expect(broker.published.map(({ options }) => ({ userId: options.userId, headers: options.headers }))).toEqual([
      { userId: undefined, headers: expect.objectContaining({ trace: 't-1', 'x-kairos-original-user-id': 'shop', 'x-kairos-reason': expect.stringMatching(/not JSON/) }) },
    ]);
    expect(broker.connectionNames).toEqual(['kairos-source-orders', 'kairos-source-orders-dead-letters']);
    expect(consumer).toMatchObject({ connected: true, lastError: null });
  });

  it('a dead letter the broker refuses closes only the dead-letter channel: the source goes on consuming on the same connection, the next dead letter opens another channel, and the refused one goes back to the queue then (finding 1)', async () => {
    const warned: string[] = [];
    const metrics = new SourceMetrics(new Registry());
    const consumer = start({ sink: accepting, warn: (line) => warned.push(line), metrics });
    await until(() => consumer.connected);
    // Refused twice: the letter is sent once more (after declaring the dead letters again) before it is held.
    broker.refuseNext.push({ code: 404, text: "NOT_FOUND - no exchange 'orders.dlx' in vhost '/'" }, { code: 403, text: "ACCESS_REFUSED - access to exchange 'orders.dlx' in vhost '/' refused for user 'kairos'" });
    const refused = message('not json');
    broker.deliver?.(refused);
    await until(() => warned.some((w) => w.includes('dead-lettering failed')));
    const good = message('{"id":"1","user":"u"}');
    const next = message('not json either');
    broker.deliver?.(good);
    broker.deliver?.(next);
    await until(() => broker.acked.includes(good) && broker.acked.includes(next));
    expect(broker.acked).not.toContain(refused);
    expect(broker.nacked).toEqual([refused]);
    expect(heldCount(consumer)).toBe(0);
    expect(broker.connectionNames).toEqual(['kairos-source-orders', 'kairos-source-orders-dead-letters']);
    expect(broker.consumedAt).toHaveLength(1);
    expect(warned).toContainEqual(expect.stringMatching(/RabbitMQ closed the dead-letter channel \(.*NOT_FOUND - no exchange 'orders.dlx'.*\); the next dead letter opens another/));
    // Counted once (review-62-mq, finding 3): the one that went through is not.
    expect((await metrics.deadLetterFailures.get()).values).toEqual([{ labels: { source: 'orders' }, value: 1 }]);
  });

  it('declares <queue>.dlx again when it was deleted while consuming and sends the dead letter once more, instead of holding every bad message for the rest of the session (review-60-sources, finding 2)', async () => {
    const warned: string[] = [];
    const consumer = start({ sink: accepting, warn: (line) => warned.push(line) });
    await until(() => consumer.connected);
    // An operator (or a definitions import) deletes the exchange; the consuming connection and channel stay healthy.
    broker.exchanges.delete('orders.dlx');
    const bad = message('not json');
    broker.deliver?.(bad);
    await until(() => broker.acked.includes(bad));
    expect(broker.exchanges.get('orders.dlx')).toBe('fanout');
    expect(broker.published.map((p) => [p.exchange, p.content.toString()])).toEqual([['orders.dlx', 'not json']]);
    expect(broker.bindings.filter(([q, x]) => q === 'orders.dlq' && x === 'orders.dlx').length).toBeGreaterThanOrEqual(2);
    expect({ held: heldCount(consumer), nacked: broker.nacked, failed: warned.filter((w) => w.includes('dead-lettering failed')) }).toEqual({ held: 0, nacked: [], failed: [] });
    // The next one goes straight through.
    const next = message('not json either');
    broker.deliver?.(next);
    await until(() => broker.acked.includes(next));
    expect(consumer).toMatchObject({ connected: true, lastError: null });
  });

  it('refuses a RabbitMQ stream queue (its deliveries carry x-stream-offset): nothing is stored or acknowledged, and the source stays connecting, saying why (review-60-sources, finding 3)', async () => {
    const backoff = new RecordingBackoff();
    const stored: unknown[] = [];
    const consumer = start({ sink: { ingest: async (events) => (stored.push(...events), accepting.ingest(events)) }, reconnectBackoff: backoff });
    await until(() => consumer.connected);
    const fromStream = (body: string, offset: number) => ({ ...message(body), properties: { headers: { 'x-stream-offset': offset } } }) as unknown as ConsumeMessage;
    broker.deliver?.(fromStream('{"id":"1","user":"u"}', 0));
    broker.deliver?.(fromStream('{"id":"2","user":"u"}', 1));
    await until(() => !consumer.connected && consumer.lastError !== null);
    expect(consumer.lastError).toBe(
      "queue orders is a RabbitMQ stream: it keeps no position for Kairos's consumer (each connect starts at its tail, and a message put back is not delivered again), so messages published or held while the source reconnects would be lost; consume a classic or quorum queue bound to the same exchange instead (change the source's queue)",
    );
    // Later attempts are refused before consuming: two more waits mean two more attempts, none of which consumed.
    await until(() => backoff.waits.length >= 3);
    expect({ consumes: broker.consumedAt.length, connected: consumer.connected, lastError: consumer.lastError }).toEqual({ consumes: 1, connected: false, lastError: expect.stringMatching(/^queue orders is a RabbitMQ stream/) });
    expect({ acked: broker.acked, nacked: broker.nacked, stored }).toEqual({ acked: [], nacked: [], stored: [] });
  });

  it('a session the broker ends at once backs off longer each time and says why once; a session that acknowledged a message starts both again (finding 1)', async () => {
    const warned: string[] = [];
    const backoff = new RecordingBackoff();
    broker.closeAfterConsume = 'PRECONDITION_FAILED - a poison message';
    const consumer = start({ sink: accepting, warn: (line) => warned.push(line), reconnectBackoff: backoff });
    await until(() => broker.consumedAt.length >= 5);
    // Doubling after each session that died at once (a reset at each connect made every wait the first one).
    expect(backoff.waits.slice(0, 4)).toEqual([5, 10, 20, 40]);
    const poisoned = (w: string) => w.includes('RabbitMQ channel error') && w.includes('a poison message');
    expect(warned.filter(poisoned)).toHaveLength(1);
    // Between sessions the source says why (a channel error used to leave lastError null: the source looked fine).
    await until(() => !consumer.connected);
    expect(consumer.lastError).toMatch(/^RabbitMQ channel error \(.*a poison message.*\)$/);
    // The broker lets the next session live; it acknowledges a message, then dies: the wait after it is the first again, and the reason is said again.
    broker.closeAfterConsume = undefined;
    await until(() => consumer.connected);
    const good = message('{"id":"1","user":"u"}');
    broker.deliver?.(good);
    await until(() => broker.acked.includes(good));
    const waited = backoff.waits.length;
    // Grown this far, the next wait would be the longest (80 ms) if the ack had not started the backoff again.
    expect(backoff.waits[waited - 1]).toBeGreaterThanOrEqual(40);
    const sessions = broker.consumedAt.length;
    broker.closeAfterConsume = 'PRECONDITION_FAILED - a poison message';
    broker.dropAll();
    await until(() => broker.consumedAt.length > sessions);
    expect(backoff.waits[waited]).toBe(5);
    await until(() => warned.filter(poisoned).length === 2);
  });

  it('goes on acknowledging while a memory alarm blocks the dead-letter connection, and says the connection is blocked (finding 2)', async () => {
    const consumer = start({ sink: accepting });
    await until(() => consumer.connected);
    broker.alarm = true;
    const bad = message('not json');
    const good = message('{"id":"1","user":"u"}');
    broker.deliver?.(bad);
    broker.deliver?.(good);
    await until(() => broker.acked.includes(good));
    expect(broker.blockedAcks).toEqual([]);
    expect(consumer.lastError).toBe('RabbitMQ blocked the dead-letter connection: low on memory');
    // The alarm ends: the dead letter is confirmed and its message acknowledged; the block is no longer shown.
    broker.endAlarm();
    await until(() => broker.acked.includes(bad));
    expect(consumer.lastError).toBeNull();
  });

  it('says, in lastError and the log, that a message keeps coming back (a quorum queue with a delivery limit drops it) (finding 6)', async () => {
    const warned: string[] = [];
    const consumer = start({ sink: accepting, warn: (line) => warned.push(line) });
    await until(() => consumer.connected);
    const again = { ...message('{"id":"1","user":"u"}'), properties: { headers: { 'x-delivery-count': 12 } } } as unknown as ConsumeMessage;
    broker.deliver?.(again);
    await until(() => broker.acked.includes(again));
    expect(consumer.lastError).toMatch(/^a message of orders came back 12 times \(x-delivery-count\): a delivery limit .* \(policy delivery-limit -1\)$/);
    expect(warned).toEqual([expect.stringMatching(/^source orders: messages of orders keep coming back \(x-delivery-count 10 or more\)/)]);
  });

  it('stops saying messages come back once none has for a while (review-56-sources, finding 4)', async () => {
    const consumer = start({ sink: accepting, redeliveriesShownMs: 100 });
    await until(() => consumer.connected);
    const again = { ...message('{"id":"1","user":"u"}'), properties: { headers: { 'x-delivery-count': 12 } } } as unknown as ConsumeMessage;
    broker.deliver?.(again);
    await until(() => broker.acked.includes(again));
    expect(consumer.lastError).toMatch(/^a message of orders came back 12 times/);
    await until(() => consumer.lastError === null);
    expect(consumer.connected).toBe(true);
  });

  it('says both causes when the broker cancels the consumer, a deleted queue or its consumer_timeout, and consumes again (review-58-sources, finding 5)', async () => {
    const warned: string[] = [];
    const consumer = start({ sink: accepting, warn: (line) => warned.push(line) });
    await until(() => consumer.connected);
    const consumes = broker.consumedAt.length;
    broker.deliver?.(null);
    expect(consumer.lastError).toBe(
      "RabbitMQ cancelled the consumer of orders: the queue was deleted, or the broker's consumer_timeout passed while messages waited to be stored (PostgreSQL slow or away); consuming again, and the messages it held are delivered again",
    );
    expect(warned).toEqual([`source orders: ${consumer.lastError}`]);
    await until(() => broker.consumedAt.length > consumes && consumer.connected);
  });
});
