import { EventEmitter } from 'node:events';
import type { ConsumeMessage } from 'amqplib';
import { Registry } from 'prom-client';
import { RabbitMqConsumer } from './rabbitmq-consumer';
import { RabbitMqSource } from './source-definition';
import { SourceMetrics } from './source-metrics';

/**
 * A broker as amqplib shows it, enough to declare, bind and consume: what it
 * refuses (a queue or exchange declared again with other arguments or type, a
 * passive check of one that is absent) closes the channel it was asked on,
 * with AMQP's reply code and text, and every later call there fails.
 */
class FakeBroker {
  readonly queues = new Map<string, Record<string, unknown>>();
  readonly exchanges = new Map<string, string>();
  readonly bindings: Array<[string, string, string]> = [];
  readonly declared: string[] = [];
  readonly acked: ConsumeMessage[] = [];
  /** Dead letters the exchange routes nowhere, this many more times: each comes back (`return`) before its confirm. */
  returnNext = 0;
  deliver: ((msg: ConsumeMessage | null) => void) | undefined;
  /**
   * A memory or disk alarm: the broker stops reading from publishing
   * connections, so no publish is confirmed and a close handshake is never
   * answered; only the socket going away ends them (then amqplib fails each
   * confirm still awaited, and the broker puts back what was not acked).
   */
  alarm = false;
  private readonly awaitingConfirm: Array<(err: unknown) => void> = [];
  private readonly channels: EventEmitter[] = [];

  connection() {
    const conn = new EventEmitter();
    const gone = () => {
      for (const confirmed of this.awaitingConfirm.splice(0)) confirmed(new Error('channel closed'));
      for (const ch of this.channels.splice(0)) ch.emit('close');
      conn.emit('close');
    };
    return Object.assign(conn, {
      createChannel: async () => this.channel(),
      createConfirmChannel: async () => this.channel(),
      close: () => (this.alarm ? new Promise<void>(() => undefined) : Promise.resolve(gone())),
      // As amqplib: a destroy with an error reaches it ('error'); a bare one emits only 'close', which it does not hear.
      connection: { stream: { destroy: (err?: Error) => void (err && gone()) } },
    });
  }

  private channel() {
    const ch = new EventEmitter();
    this.channels.push(ch);
    let closedBy: Error | undefined;
    const refuse = (code: number, text: string, operation: string) => {
      closedBy = Object.assign(new Error(`Operation failed: ${operation}; ${code} (${text.split(' ')[0]}) with message "${text}"`), { code });
      ch.emit('error', closedBy);
      ch.emit('close');
      throw closedBy;
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
        return { consumerTag: 'c' };
      },
      publish: (_x: string, _key: string, content: Buffer, options: { headers: Record<string, unknown> }, confirmed: (err: unknown) => void) => {
        open();
        if (this.returnNext > 0) {
          this.returnNext--;
          ch.emit('return', { content, fields: {}, properties: { headers: options.headers } });
        }
        if (this.alarm) this.awaitingConfirm.push(confirmed);
        else setImmediate(() => confirmed(null));
        return true;
      },
      ack: (msg: ConsumeMessage) => void this.acked.push(msg),
      nack: () => undefined,
      close: async () => {
        open();
        closedBy = new Error('Channel closed');
        ch.emit('close');
      },
    });
  }
}

let broker: FakeBroker;
jest.mock('amqplib', () => ({ __esModule: true, default: { connect: async () => broker.connection() } }));

const started: RabbitMqConsumer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((c) => c.stop()));
});

function start(stopGraceMs?: number): RabbitMqConsumer {
  const def = RabbitMqSource.parse({ key: 'orders', broker: 'rabbitmq', queue: 'orders', mapping: { id: 'id', type: { const: 'order.paid' }, userId: 'user' } });
  const consumer = new RabbitMqConsumer(def, {
    url: 'amqp://fake',
    sink: { ingest: () => Promise.reject(new Error('not used')) },
    propertiesCapBytes: 65_536,
    batchBytes: 5 * 1024 * 1024,
    metrics: new SourceMetrics(new Registry()),
    log: { warn: () => undefined },
    lagEveryMs: 60_000,
    ...(stopGraceMs === undefined ? {} : { stopGraceMs }),
  });
  consumer.start();
  started.push(consumer);
  return consumer;
}

async function until(condition: () => boolean, ms = 1_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('not within the time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const message = (body: string) => ({ content: Buffer.from(body), fields: { routingKey: 'orders' }, properties: { headers: {} } }) as unknown as ConsumeMessage;

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
    const consumer = start(50);
    await until(() => consumer.connected);
    broker.alarm = true;
    // A message that fails mapping: its dead letter is published, and the alarm holds its confirm.
    const bad = message('not json');
    broker.deliver?.(bad);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const stopped = consumer.stop().then(() => 'stopped');
    const waited = new Promise((resolve) => setTimeout(() => resolve('still waiting'), 1_000));
    expect(await Promise.race([stopped, waited])).toBe('stopped');
    expect(broker.acked).not.toContain(bad);
    expect(consumer.connected).toBe(false);
  });
});
