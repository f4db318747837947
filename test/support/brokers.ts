import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { AckPolicy, connect, DiscardPolicy, nanos, type JetStreamManager, type JetStreamClient, type NatsConnection } from 'nats';
import { Registry } from 'prom-client';
import { SourceMetrics } from '../../src/ingest/source-metrics';
import { cashbackCampaign } from './campaign-fixtures';
import { eventually } from './system-under-test';

export const RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';
export const NATS_SERVERS = ['127.0.0.1:4222'];

/** Queue, stream and subject names unique to this run, so parallel runs never share one. */
export const uniqueName = (prefix: string): string => `${prefix}-${process.pid}-${randomBytes(3).toString('hex')}`;

/** Restarts a broker through scripts/brokers.sh (every client connection drops; durable data stays). */
export async function restartBroker(broker: 'rabbitmq' | 'nats'): Promise<void> {
  await promisify(execFile)(BROKERS_SCRIPT, [`restart-${broker}`], { timeout: 120_000 });
}

/** A RabbitMQ policy on the queues `pattern` matches (e.g. `{ 'max-length': 0, overflow: 'reject-publish' }`: a queue that refuses what is published to it); null clears it. */
export async function rabbitPolicy(name: string, pattern: string, definition: Record<string, unknown> | null): Promise<void> {
  const args = definition ? ['rabbitmq-policy', name, pattern, JSON.stringify(definition)] : ['rabbitmq-clear-policy', name];
  await promisify(execFile)(BROKERS_SCRIPT, args, { timeout: 60_000 });
}

/**
 * A RabbitMQ user with every permission on vhost `/`, and its URL: a
 * publisher that logs in as itself, as a business system does. `remove`
 * deletes the user.
 */
export async function rabbitUser(name: string): Promise<{ url: string; remove(): Promise<void> }> {
  const password = randomBytes(12).toString('hex');
  await promisify(execFile)(BROKERS_SCRIPT, ['rabbitmq-add-user', name, password], { timeout: 60_000 });
  return {
    url: `amqp://${encodeURIComponent(name)}:${password}@127.0.0.1:5672`,
    remove: async () => void (await promisify(execFile)(BROKERS_SCRIPT, ['rabbitmq-delete-user', name], { timeout: 60_000 })),
  };
}

/** scripts/brokers.sh from test/support (jest) or from dist/test/support (`npm run chaos`, compiled). */
const BROKERS_SCRIPT = [path.join(__dirname, '../../scripts/brokers.sh'), path.join(__dirname, '../../../scripts/brokers.sh')].find((f) => existsSync(f)) ?? 'scripts/brokers.sh';

/** A publisher that reconnects after a broker restart and waits for the broker's confirm of every message. */
export class RabbitPublisher {
  private connection: ChannelModel | undefined;
  private channel: ConfirmChannel | undefined;

  /** `url`: another user's (rabbitUser), to publish as that user. */
  constructor(private readonly url = RABBITMQ_URL) {}

  /**
   * `declared`: the queue was made by the test as a business system would (other arguments): publish without declaring it.
   * `userId`: the user_id property, which RabbitMQ checks against the user the publisher logged in as.
   */
  async publish(queue: string, body: unknown, opts: { raw?: string; declared?: boolean; expiration?: string; headers?: Record<string, unknown>; userId?: string } = {}): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const ch = await this.open();
        if (!opts.declared) await ch.assertQueue(queue, { durable: true, deadLetterExchange: `${queue}.dlx` });
        const content = Buffer.from(opts.raw ?? JSON.stringify(body));
        await new Promise<void>((resolve, reject) => ch.sendToQueue(queue, content, { persistent: true, expiration: opts.expiration, headers: opts.headers, userId: opts.userId }, (err) => (err ? reject(new Error(String(err))) : resolve())));
        return;
      } catch (err) {
        await this.reset();
        if (attempt > 120) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /**
   * Publishes `bodies` (as JSON) to `queue` pipelined, for a flood a test puts in the broker before its source starts: the
   * queue declared once as publish() declares it, each message sent as publish() sends it without waiting for the one
   * before, and resolved once the broker has confirmed every one (rejected on a nack or a closed channel). No retry: a
   * flood sent again could put part of it in twice, so this is for suites that restart no broker meanwhile.
   */
  async publishMany(queue: string, bodies: readonly unknown[]): Promise<void> {
    const ch = await this.open();
    await ch.assertQueue(queue, { durable: true, deadLetterExchange: `${queue}.dlx` });
    let onClose: () => void = () => undefined;
    const closed = new Promise<never>((_, reject) => {
      onClose = () => reject(new Error(`the channel closed while publishing to ${queue}`));
      ch.once('close', onClose);
    });
    closed.catch(() => undefined);
    try {
      const confirmed: Array<Promise<void>> = [];
      for (const body of bodies) {
        let answer: (err: unknown) => void = () => undefined;
        const confirm = new Promise<void>((resolve, reject) => (answer = (err) => (err ? reject(new Error(String(err))) : resolve())));
        // Handled here too: when the loop stops early (the channel closed), no Promise.all waits for those sent before.
        confirm.catch(() => undefined);
        confirmed.push(confirm);
        const sent = ch.sendToQueue(queue, Buffer.from(JSON.stringify(body)), { persistent: true }, (err) => answer(err));
        // What the socket does not take yet is buffered: wait for it to drain rather than buffer the whole flood.
        if (!sent) await Promise.race([new Promise((r) => ch.once('drain', r)), closed]);
      }
      await Promise.race([Promise.all(confirmed), closed]);
    } finally {
      ch.off('close', onClose);
    }
  }

  /** Takes every message now in the queue (acknowledging them), with their headers. */
  async drain(queue: string): Promise<Array<{ body: string; headers: Record<string, unknown>; expiration: unknown; userId: unknown }>> {
    const ch = await this.open();
    const out: Array<{ body: string; headers: Record<string, unknown>; expiration: unknown; userId: unknown }> = [];
    for (;;) {
      const msg = await ch.get(queue, { noAck: true });
      if (!msg) return out;
      out.push({ body: msg.content.toString(), headers: (msg.properties.headers ?? {}) as Record<string, unknown>, expiration: msg.properties.expiration, userId: msg.properties.userId });
    }
  }

  /** Ready messages in the queue (not those handed to a consumer and unacknowledged). */
  async ready(queue: string): Promise<number> {
    return (await (await this.open()).checkQueue(queue)).messageCount;
  }

  /** Consumers attached to the queue now. */
  async consumers(queue: string): Promise<number> {
    return (await (await this.open()).checkQueue(queue)).consumerCount;
  }

  /** A queue as a business system would declare it, before Kairos consumes it (e.g. `{ arguments: { 'x-queue-type': 'quorum' } }`). */
  async declare(queue: string, options: Record<string, unknown>): Promise<void> {
    await (await this.open()).assertQueue(queue, { durable: true, ...options });
  }

  /** Deletes one queue only (its dead letters stay), as an operator might under a running consumer. */
  async deleteQueue(queue: string): Promise<void> {
    await (await this.open()).deleteQueue(queue);
  }

  /** Deletes one exchange (its bindings go with it), as an operator or a definitions import might under a running consumer. */
  async deleteExchange(exchange: string): Promise<void> {
    await (await this.open()).deleteExchange(exchange);
  }

  async deleteQueues(...queues: string[]): Promise<void> {
    const ch = await this.open();
    for (const q of queues) {
      await ch.deleteQueue(q).catch(() => undefined);
      await ch.deleteQueue(`${q}.dlq`).catch(() => undefined);
      await ch.deleteExchange(`${q}.dlx`).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.reset();
  }

  private async open(): Promise<ConfirmChannel> {
    if (this.channel) return this.channel;
    this.connection = await amqp.connect(this.url);
    this.connection.on('error', () => undefined);
    this.connection.on('close', () => void this.reset());
    const ch = await this.connection.createConfirmChannel();
    ch.on('error', () => undefined);
    ch.on('close', () => void this.reset());
    this.channel = ch;
    return ch;
  }

  private async reset(): Promise<void> {
    const c = this.connection;
    this.connection = undefined;
    this.channel = undefined;
    await c?.close().catch(() => undefined);
  }
}

/** Another consumer of a queue on a connection of its own, as another API instance would be: it acknowledges and keeps the bodies of what it is given. */
export async function rabbitConsumer(queue: string): Promise<{ received: string[]; close(): Promise<void> }> {
  const connection = await amqp.connect(RABBITMQ_URL);
  connection.on('error', () => undefined);
  const channel = await connection.createChannel();
  const received: string[] = [];
  await channel.consume(queue, (msg) => {
    if (!msg) return;
    received.push(msg.content.toString());
    channel.ack(msg);
  });
  return { received, close: () => connection.close().catch(() => undefined) };
}

/** A JetStream publisher that retries through a broker restart; `msgId` sets Nats-Msg-Id. */
export class NatsPublisher {
  private nc: NatsConnection | undefined;
  private js: JetStreamClient | undefined;
  private jsm: JetStreamManager | undefined;

  async publish(subject: string, body: unknown, opts: { msgId?: string; raw?: string } = {}): Promise<{ duplicate: boolean }> {
    for (let attempt = 0; ; attempt++) {
      try {
        const { js } = await this.open();
        const ack = await js.publish(subject, new TextEncoder().encode(opts.raw ?? JSON.stringify(body)), { msgID: opts.msgId, timeout: 5000 });
        return { duplicate: ack.duplicate };
      } catch (err) {
        if (attempt > 120) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /**
   * Publishes `bodies` (as JSON) on `subject` pipelined, `window` at a time, for a flood a test puts in the stream before
   * its source starts: resolved once JetStream has acknowledged every one. No retry: a flood sent again could put part of
   * it in twice, so this is for suites that restart no broker meanwhile.
   */
  async publishMany(subject: string, bodies: readonly unknown[], window = 200): Promise<void> {
    const { js } = await this.open();
    const encoder = new TextEncoder();
    for (let from = 0; from < bodies.length; from += window) {
      await Promise.all(bodies.slice(from, from + window).map((body) => js.publish(subject, encoder.encode(JSON.stringify(body)), { timeout: 5000 })));
    }
  }

  /** Every message on `subject` in `stream`, with the Kairos-Reason header (and Kairos-Body-Omitted, Kairos-Headers-Omitted when set). */
  async read(stream: string, subject: string): Promise<Array<{ body: string; reason?: string; omitted?: string; headersOmitted?: string }>> {
    const { jsm } = await this.open();
    const info = await jsm.streams.info(stream);
    const out: Array<{ body: string; reason?: string; omitted?: string; headersOmitted?: string }> = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(stream, { seq }).catch(() => undefined);
      if (!m || m.subject !== subject) continue;
      const omitted = m.header?.get('Kairos-Body-Omitted');
      const headersOmitted = m.header?.get('Kairos-Headers-Omitted');
      out.push({ body: new TextDecoder().decode(m.data), reason: m.header?.get('Kairos-Reason') || undefined, ...(omitted ? { omitted } : {}), ...(headersOmitted ? { headersOmitted } : {}) });
    }
    return out;
  }

  /** The largest message the server takes (its max_payload). */
  async maxPayload(): Promise<number> {
    await this.open();
    return this.nc!.info!.max_payload;
  }

  /** A stream as a business system would create it, before Kairos consumes it. */
  async createStream(stream: string, subjects: string[], limits: { maxMsgSize?: number; maxMsgs?: number } = {}): Promise<void> {
    const { jsm } = await this.open();
    await jsm.streams.add({
      name: stream,
      subjects,
      duplicate_window: 120_000_000_000,
      ...(limits.maxMsgSize ? { max_msg_size: limits.maxMsgSize } : {}),
      // A full stream refuses what comes next (rather than dropping its oldest).
      ...(limits.maxMsgs ? { max_msgs: limits.maxMsgs, discard: DiscardPolicy.New } : {}),
    });
  }

  /** Lifts a stream's message limit set by createStream. */
  async unlimit(stream: string): Promise<void> {
    const { jsm } = await this.open();
    const info = await jsm.streams.info(stream);
    await jsm.streams.update(stream, { ...info.config, max_msgs: -1 });
  }

  /** A durable pull consumer as someone else made it, with the ack policy they chose. */
  async createDurable(stream: string, durable: string, subject: string, ackPolicy: 'none' | 'all' | 'explicit', extra: { maxDeliver?: number; backoffMs?: number[] } = {}): Promise<void> {
    const { jsm } = await this.open();
    const policy = { none: AckPolicy.None, all: AckPolicy.All, explicit: AckPolicy.Explicit }[ackPolicy];
    await jsm.consumers.add(stream, {
      durable_name: durable,
      ack_policy: policy,
      filter_subject: subject,
      ...(extra.maxDeliver !== undefined ? { max_deliver: extra.maxDeliver } : {}),
      ...(extra.backoffMs ? { backoff: extra.backoffMs.map((ms) => nanos(ms)) } : {}),
    });
  }

  async maxDeliver(stream: string, durable: string): Promise<number | undefined> {
    const { jsm } = await this.open();
    return (await jsm.consumers.info(stream, durable)).config.max_deliver;
  }

  async streamSubjects(stream: string): Promise<string[]> {
    const { jsm } = await this.open();
    return (await jsm.streams.info(stream)).config.subjects ?? [];
  }

  async setStreamSubjects(stream: string, subjects: string[]): Promise<void> {
    const { jsm } = await this.open();
    const { config } = await jsm.streams.info(stream);
    await jsm.streams.update(stream, { ...config, subjects });
  }

  /** Messages the durable consumer has not been handed yet. */
  async pending(stream: string, durable: string): Promise<number> {
    const { jsm } = await this.open();
    return (await jsm.consumers.info(stream, durable)).num_pending;
  }

  async deleteStreams(...streams: string[]): Promise<void> {
    const { jsm } = await this.open();
    for (const s of streams) await jsm.streams.delete(s).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.nc?.close().catch(() => undefined);
  }

  private async open() {
    if (!this.nc || this.nc.isClosed()) {
      this.nc = await connect({ servers: NATS_SERVERS, reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
      this.js = this.nc.jetstream();
      this.jsm = await this.nc.jetstreamManager();
    }
    return { js: this.js!, jsm: this.jsm! };
  }
}

/**
 * Publishes one message on `subject` with a header block written as given
 * (`Name: value` lines), over a plain connection of its own, as a client that
 * checks no header names (nats.py) sends it: nats.js refuses to write a name
 * with a space or a non-ASCII letter, and to read one. Resolved once the
 * server answered a PING sent after it (it has taken the publish); rejected
 * on an -ERR.
 */
export async function natsRawPublish(subject: string, headerLines: string[], body: string): Promise<void> {
  const [host, port] = NATS_SERVERS[0].split(':');
  const socket = net.createConnection(Number(port), host);
  try {
    await new Promise<void>((resolve, reject) => {
      let said = '';
      socket.on('error', reject);
      socket.on('close', () => reject(new Error(`NATS closed the connection before answering (${said.trim()})`)));
      socket.on('data', (chunk: Buffer) => {
        said += chunk.toString('utf8');
        if (said.includes('-ERR')) reject(new Error(`NATS refused the publish: ${said.trim()}`));
        else if (said.includes('PONG')) resolve();
      });
      const block = Buffer.from(`NATS/1.0\r\n${headerLines.map((line) => `${line}\r\n`).join('')}\r\n`, 'utf8');
      const payload = Buffer.from(body, 'utf8');
      socket.write(
        Buffer.concat([
          Buffer.from(`CONNECT {"headers":true,"verbose":false,"pedantic":false}\r\nHPUB ${subject} ${block.length} ${block.length + payload.length}\r\n`, 'utf8'),
          block,
          payload,
          Buffer.from('\r\nPING\r\n', 'utf8'),
        ]),
      );
    });
  } finally {
    socket.destroy();
  }
}

/** A per-source sample from /metrics text, 0 when the series is absent. */
export function sourceMetric(text: string, name: string, source: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`source="${source}"`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/**
 * A source's duplicates and consumed counts once both have reached what is
 * awaited (or `eventually` gives up): users' lanes store apart, so a
 * duplicate in one user's lane may be counted before another user's first
 * message. The counts are read once more after, for the caller to assert.
 */
export async function settledSourceCounts(metrics: () => Promise<string>, source: string, awaited: { duplicates: number; consumed: number }): Promise<{ duplicates: number; consumed: number }> {
  const counted = async () => {
    const text = await metrics();
    return { duplicates: sourceMetric(text, 'kairos_source_duplicates_total', source), consumed: sourceMetric(text, 'kairos_source_consumed_total', source) };
  };
  await eventually(async () => {
    const { duplicates, consumed } = await counted();
    return duplicates >= awaited.duplicates && consumed >= awaited.consumed ? true : undefined;
  }).catch(() => undefined);
  return counted();
}

/** kairos_source_unacknowledged of one source, or undefined while /metrics has no such line (a 0 must be shown, not assumed). */
export function unacknowledged(text: string, source: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith('kairos_source_unacknowledged{') && l.includes(`source="${source}"`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : undefined;
}

/** The cashback campaign: rewards count events exactly (once per user). */
export const cashback = cashbackCampaign();

/** order.paid {orderNo, buyer:{uid}, amount} -> order.completed, with no code. */
export const orderPaidMapping = {
  id: { path: 'orderNo', prefix: 'order.paid:' },
  type: { const: 'order.completed' },
  userId: 'buyer.uid',
  properties: { amount: 'amount', orderNo: 'orderNo' },
};

export const orderPaid = (n: number, user = `buyer-${n}`) => ({ orderNo: n, buyer: { uid: user }, amount: 10 + n });

/**
 * For a source consumer a test builds itself, beside its broker: a sink no
 * message reaches (each is a dead letter), the times a dead letter failed
 * (the pump's warning), and a short schedule for trying it again (500 ms,
 * doubling, at most 5 s). `gapsOfTries` waits for three tries, inside 20 s
 * (the ack wait, 30 s, would not allow it), and answers whether they came
 * about 500 ms and then 1 s apart at least (a few ms spare for the clock).
 */
export function deadLetterProbe() {
  const tries: number[] = [];
  const said: string[] = [];
  const registry = new Registry();
  return {
    deps: {
      sink: { ingest: () => Promise.reject(new Error('nothing here maps')) },
      propertiesCapBytes: 65_536,
      bodyCapBytes: 5 * 1024 * 1024,
      metrics: new SourceMetrics(registry),
      log: {
        warn: (line: string) => {
          said.push(line);
          if (line.includes('dead-lettering failed')) tries.push(Date.now());
        },
      },
      deadLetterRetry: { firstMs: 500, maxMs: 5_000 },
    },
    /** Every warning the consumer logged. */
    warnings: (): string[] => [...said],
    /** The consumer's kairos_source_unacknowledged (it has one source). */
    async unacknowledged(): Promise<number | undefined> {
      return (await registry.getSingleMetric('kairos_source_unacknowledged')?.get())?.values[0]?.value;
    },
    async gapsOfTries(): Promise<{ tries: number; apartAsAsked: boolean }> {
      for (const deadline = Date.now() + 20_000; tries.length < 3 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
      return { tries: Math.min(tries.length, 3), apartAsAsked: tries.length >= 3 && tries[1] - tries[0] >= 450 && tries[2] - tries[1] >= 900 };
    },
  };
}
