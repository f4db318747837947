import { randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import { type DeadLetterRetry, deadLetterRetryMs } from './dead-letter-retry';
import type { EventSink } from './event-sink';
import { headerValue } from './header-value';
import { MessagePump } from './message-pump';
import { Backoff } from '../retry/backoff';
import { withTimeout } from '../retry/with-timeout';
import { sleep, StopSignal, type SourceConsumer } from './source-consumer';
import { deadLetterExchange, deadLetterQueue, type RabbitMqSource } from './source-definition';
import type { SourceMetrics } from './source-metrics';
import { ThrottledWarning } from '../observability/throttled-warning';
import { UnacknowledgedCount } from './unacknowledged-count';

export interface RabbitMqDeps {
  url: string;
  sink: EventSink;
  /** The size cap POST /v1/events applies to an event's properties (MAX_EVENT_PROPERTIES_BYTES). */
  propertiesCapBytes: number;
  /** The properties one batch stores at most (MAX_BODY_BYTES, what one POST /v1/events carries): PumpOptions.batchBytes. */
  batchBytes: number;
  metrics: SourceMetrics;
  log: { warn(message: string): void };
  lagEveryMs?: number;
  /** When a message whose dead letter could not be published goes back to the queue (deadLetterRetryMs); tests shorten it. */
  deadLetterRetry?: DeadLetterRetry;
  /** How long a stop waits for the batches under way and a clean close before it drops the connection (STOP_GRACE_MS); tests shorten it. */
  stopGraceMs?: number;
}

/**
 * How long a stop waits for the batches under way (a dead letter's confirm
 * among them) and the connection's close handshake. During a memory or disk
 * alarm the broker stops reading from publishing connections: neither comes
 * until the alarm ends, and a source change or a shutdown would wait that
 * long. After it, the socket is dropped: the confirms still awaited fail,
 * and the broker puts back every message not acknowledged.
 */
const STOP_GRACE_MS = 10_000;

/** Header carrying why a message was dead-lettered. */
export const REASON_HEADER = 'x-kairos-reason';
/** Names a dead letter this consumer published, so one the broker returns (routed nowhere) is recognised. */
const DEAD_LETTER_ID_HEADER = 'x-kairos-dead-letter-id';

/** A 406 from the broker: a declaration that disagrees with what exists. */
const isPreconditionFailed = (err: Error): boolean => (err as { code?: unknown }).code === 406 || /PRECONDITION_FAILED/.test(err.message);

/**
 * Runs `step` on a channel opened for it and closed after: a declaration the
 * broker refuses (or a passive check of something absent) closes the channel
 * it was made on, with every delivery of that channel.
 */
async function onOwnChannel<T>(connection: ChannelModel, step: (channel: Channel) => Promise<T>): Promise<T> {
  const channel = await connection.createChannel();
  channel.on('error', () => undefined);
  try {
    return await step(channel);
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/**
 * A RabbitMQ source on amqplib: its own connection and confirm channel,
 * prefetch as configured, the queue declared durable (when absent) with
 * `<queue>.dlx` as its dead-letter exchange (bound to `<queue>.dlq`). Reconnects with backoff
 * whenever the connection or channel goes; deliveries not yet acknowledged
 * then come again and are acknowledged as duplicates.
 */
export class RabbitMqConsumer implements SourceConsumer {
  readonly key: string;
  private connection: ChannelModel | undefined;
  private channel: ConfirmChannel | undefined;
  private pump: MessagePump | undefined;
  private readonly stop$ = new StopSignal();
  private running: Promise<void> | undefined;
  private lagTimer: NodeJS.Timeout | undefined;
  /** Rounds of dead letters that could not be published since the last one that could: how long the next failed one is held. */
  private deadLetterFailures = 0;
  /** Messages whose dead letter failed, held until their turn to go back to the queue: each one's timer and how it goes back. */
  private readonly held = new Map<NodeJS.Timeout, () => void>();
  /** Ids of dead letters the broker returned as routed nowhere, noted by the channel's `return` event before their confirm. */
  private readonly returned = new Set<string>();
  /** Between attempts to connect and consume: from 250 ms to 5 s. */
  private readonly backoff = new Backoff(250, 5_000);
  /** A source that cannot consume retries every few seconds: each reason is logged at once, then once a minute while it lasts. */
  private readonly trouble = new ThrottledWarning(60_000, (text) => this.deps.log.warn(text), { perText: true });
  /** Deliveries on this channel not acknowledged or put back yet: RabbitMQ's ready count (the lag) leaves them out. */
  private readonly unacked: UnacknowledgedCount;

  constructor(
    private readonly def: RabbitMqSource,
    private readonly deps: RabbitMqDeps,
  ) {
    this.key = def.key;
    this.unacked = new UnacknowledgedCount(deps.metrics.unacknowledged, def.key);
  }

  get connected(): boolean {
    return this.channel !== undefined;
  }

  lastError: string | null = null;

  start(): void {
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stop$.request();
    clearInterval(this.lagTimer);
    const connection = this.connection;
    const clean = (async () => {
      await this.pump?.stop();
      await connection?.close().catch(() => undefined);
    })();
    if (!(await settlesWithin(clean, this.deps.stopGraceMs ?? STOP_GRACE_MS))) {
      this.deps.log.warn(`source ${this.key}: RabbitMQ did not let the consumer stop within ${Math.round((this.deps.stopGraceMs ?? STOP_GRACE_MS) / 1000)} s (a memory or disk alarm holds publishing); its connection is dropped, and the broker puts back what was not acknowledged`);
      dropSocket(connection);
    }
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.stop$.requested) {
      const attempt = this.connect();
      // A stop during the connect does not wait for it; the connection it opens is closed below, never consumed from.
      const session = await this.stop$.race(
        attempt.catch((err: Error) => {
          if (!this.stop$.requested) this.trouble.say(`source ${this.key}: cannot consume from RabbitMQ (${err.message})`);
          this.lastError = err.message;
          return undefined;
        }),
      );
      if (session && !this.stop$.requested) {
        this.lastError = null;
        this.backoff.reset();
        this.trouble.clear();
        await this.stop$.race(session.closed);
      }
      // Not waited for (a host that does not answer can take minutes); connect() closes what it opens after the stop.
      if (this.stop$.requested) void attempt.catch(() => undefined);
      await this.teardown();
      if (!this.stop$.requested) await this.stop$.race(sleep(this.backoff.next()));
    }
  }

  /** Connects and starts consuming; `closed` settles when the connection or channel is gone (wrapped: an async function would wait for a returned promise). */
  private async connect(): Promise<{ closed: Promise<void> }> {
    const connection = await amqp.connect(this.deps.url, { clientProperties: { connection_name: `kairos-source-${this.key}` } });
    if (this.stop$.requested) {
      await connection.close().catch(() => undefined);
      throw new Error('stopped while connecting');
    }
    this.connection = connection;
    let lost!: () => void;
    const closed = new Promise<void>((resolve) => (lost = resolve));
    connection.on('error', (err: Error) => this.trouble.say(`source ${this.key}: RabbitMQ connection error (${err.message})`));
    connection.on('close', () => lost());
    const channel = await connection.createConfirmChannel();
    channel.on('error', (err: Error) => this.trouble.say(`source ${this.key}: RabbitMQ channel error (${err.message})`));
    channel.on('close', () => lost());
    // Dead letters go out mandatory: one the exchange could route nowhere (its queue deleted or unbound) comes back
    // here before its confirm, instead of being confirmed and lost.
    this.returned.clear();
    channel.on('return', (msg: ConsumeMessage) => {
      const id = msg.properties.headers?.[DEAD_LETTER_ID_HEADER];
      if (typeof id === 'string') this.returned.add(id);
    });

    const { queue } = this.def;
    const dlx = await this.assertDeadLetters(connection);
    await this.declareQueue(connection, channel, dlx);
    if (this.def.bind) await channel.bindQueue(queue, this.def.bind.exchange, this.def.bind.routingKey);
    await channel.prefetch(this.def.prefetch);

    // A fresh pump per channel: deliveries of a closed channel cannot be acknowledged anyway.
    const pump = new MessagePump({
      source: this.key,
      mapping: this.def.mapping,
      concurrency: this.def.concurrency,
      maxBatch: this.def.maxBatch,
      batchBytes: this.deps.batchBytes,
      propertiesCapBytes: this.deps.propertiesCapBytes,
      sink: this.deps.sink,
      metrics: this.deps.metrics,
      warn: (m) => this.deps.log.warn(`source ${this.key}: ${m}`),
    });
    this.pump = pump;
    // Stopped meanwhile: teardown has closed (or will close) this connection; never start consuming for a source that is gone.
    if (this.stop$.requested) throw new Error('stopped while connecting');
    this.unacked.newConnection();
    await channel.consume(
      queue,
      (msg) => {
        if (msg) {
          pump.push(this.delivery(connection, channel, msg, this.unacked.take()));
          return;
        }
        // The broker cancelled the consumer (the queue was deleted, maybe made again): consume anew, do not sit idle as if consuming.
        this.lastError = `RabbitMQ cancelled the consumer of ${queue} (the queue was deleted?); consuming again`;
        this.deps.log.warn(`source ${this.key}: ${this.lastError}`);
        lost();
      },
      { noAck: false },
    );
    this.channel = channel;
    this.watchLag(channel);
    return { closed };
  }

  /**
   * `<queue>.dlx` (a durable fanout exchange) bound to `<queue>.dlq` (a
   * durable queue), each declared only when absent: one that exists is used
   * as it is (a length limit, a quorum queue, an alternate exchange), since
   * declaring it again with other arguments is refused by the broker, and
   * the channel with it, at every connect. Each step runs on a channel of
   * its own, so a refusal never closes the consuming one. An existing
   * `<queue>.dlx` of another type than fanout would route the dead letters
   * (published with the message's routing key) nowhere: the source says so
   * instead of consuming. Answers the exchange's name.
   */
  private async assertDeadLetters(connection: ChannelModel): Promise<string> {
    const dlx = deadLetterExchange(this.def.queue);
    const dlq = deadLetterQueue(this.def.queue);
    // AMQP has no passive look at an exchange's type: declaring it as a fanout says whether it is one.
    await onOwnChannel(connection, (ch) => ch.assertExchange(dlx, 'fanout', { durable: true })).catch((err: Error) => {
      if (!isPreconditionFailed(err)) throw err;
      if (/inequivalent arg 'type'/i.test(err.message)) {
        throw new Error(
          `the exchange ${dlx} exists with another type than fanout (${err.message}); Kairos publishes dead letters to it with the message's routing key, so it must route every one to ${dlq}: delete it (Kairos declares it again), make it a fanout, or consume another queue`,
        );
      }
      // A fanout declared with other arguments (durable, an alternate exchange): used as it is.
    });
    const exists = await onOwnChannel(connection, (ch) => ch.checkQueue(dlq)).then(
      () => true,
      () => false,
    );
    if (!exists) await onOwnChannel(connection, (ch) => ch.assertQueue(dlq, { durable: true }));
    // Binding again is a no-op, and takes no arguments to disagree with.
    await onOwnChannel(connection, (ch) => ch.bindQueue(dlq, dlx, ''));
    return dlx;
  }

  /**
   * Declares the queue durable with `<queue>.dlx` as its dead-letter
   * exchange when it is absent; a queue that exists (declared by its
   * publisher, a quorum queue) is consumed as it is: declaring it again with
   * other arguments is refused by the broker. Dead letters do not depend on
   * the queue's arguments: Kairos publishes them to `<queue>.dlx` itself.
   */
  private async declareQueue(connection: ChannelModel, channel: ConfirmChannel, dlx: string): Promise<void> {
    const { queue } = this.def;
    // A passive check on a channel of its own: a missing queue closes the channel it is asked on.
    const probe = await connection.createChannel();
    probe.on('error', () => undefined);
    const exists = await probe.checkQueue(queue).then(
      () => true,
      () => false,
    );
    await probe.close().catch(() => undefined);
    if (!exists) await channel.assertQueue(queue, { durable: true, deadLetterExchange: dlx });
  }

  private delivery(connection: ChannelModel, channel: ConfirmChannel, msg: ConsumeMessage, settled: () => void) {
    return {
      body: msg.content,
      ack: async () => {
        channel.ack(msg);
        settled();
      },
      deadLetter: async (reason: string) => {
        const id = randomUUID();
        const headers = { ...msg.properties.headers, [REASON_HEADER]: headerValue(reason), 'x-kairos-source': this.key, [DEAD_LETTER_ID_HEADER]: id };
        // The publisher's per-message TTL would take the dead letter out of <queue>.dlq before anyone read it.
        const { expiration: _expiration, ...kept } = msg.properties;
        const publish = () =>
          new Promise<void>((resolve, reject) =>
            channel.publish(deadLetterExchange(this.def.queue), msg.fields.routingKey, msg.content, { ...kept, headers, persistent: true, mandatory: true }, (err) =>
              err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(),
            ),
          );
        try {
          await publish();
          if (this.returned.delete(id)) {
            // Routed nowhere: <queue>.dlq was deleted or unbound while consuming. Made again, as at connect, and sent once more.
            await this.assertDeadLetters(connection);
            await publish();
            if (this.returned.delete(id)) throw new Error(`the dead-letter exchange ${deadLetterExchange(this.def.queue)} routes to no queue`);
          }
        } catch (err) {
          // Not dead-lettered (<queue>.dlq full and refusing, say), so not acknowledged. Left so, it would stay with this
          // channel until it closed; it goes back to the queue to be tried again instead, later each round while they keep
          // failing (the pump says why). Held meanwhile, it takes a prefetch slot.
          this.holdForRetry(channel, msg, settled);
          throw err;
        }
        // The dead letters can be published again: those held go back now, not when their wait is over.
        this.deadLetterFailures = 0;
        this.releaseHeld();
        channel.ack(msg);
        settled();
      },
    };
  }

  private watchLag(channel: ConfirmChannel): void {
    clearInterval(this.lagTimer);
    const measure = () =>
      channel
        .checkQueue(this.def.queue)
        .then((q) => this.deps.metrics.lag.set({ source: this.key }, q.messageCount))
        .catch(() => this.deps.metrics.lagUnknown(this.key));
    void measure();
    this.lagTimer = setInterval(() => void measure(), this.deps.lagEveryMs ?? 5_000);
    this.lagTimer.unref();
  }

  /**
   * Holds a message whose dead letter failed, then puts it back in the
   * queue. The wait grows by round, not by message: messages failing while
   * others are held wait as long as those, so a burst of them does not
   * push the wait to its longest at once.
   */
  private holdForRetry(channel: ConfirmChannel, msg: ConsumeMessage, settled: () => void): void {
    if (this.held.size === 0) this.deadLetterFailures++;
    const putBack = () => {
      try {
        channel.nack(msg, false, true);
      } catch {
        // The channel closed meanwhile: the broker has put the message back itself.
      }
      settled();
    };
    const timer = setTimeout(() => {
      this.held.delete(timer);
      putBack();
    }, deadLetterRetryMs(this.deadLetterFailures, this.deps.deadLetterRetry));
    timer.unref();
    this.held.set(timer, putBack);
  }

  /** Every held message back to the queue now (the dead letters work again); `dropOnly` when its channel is gone, and the broker put them back. */
  private releaseHeld(dropOnly = false): void {
    for (const [timer, putBack] of this.held) {
      clearTimeout(timer);
      if (!dropOnly) putBack();
    }
    this.held.clear();
  }

  private async teardown(): Promise<void> {
    clearInterval(this.lagTimer);
    this.releaseHeld(true);
    this.unacked.newConnection();
    this.deps.metrics.lagUnknown(this.key);
    this.channel = undefined;
    const pump = this.pump;
    this.pump = undefined;
    // Bounded too: a batch still waiting on the broker must not hold the stop (or the next connect) for as long as it waits.
    if (pump) await settlesWithin(pump.stop(), this.deps.stopGraceMs ?? STOP_GRACE_MS);
    const connection = this.connection;
    this.connection = undefined;
    // Its close handshake too goes unanswered during an alarm (see STOP_GRACE_MS).
    if (connection && !(await settlesWithin(connection.close(), this.deps.stopGraceMs ?? STOP_GRACE_MS))) dropSocket(connection);
  }
}

/** Whether `work` settles, either way, within `ms` (withTimeout: the timer does not hold the process). */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  return (await withTimeout(work.then(() => true, () => true), ms)) !== null;
}

/**
 * Ends the connection without its close handshake. With an error: amqplib
 * hears of its socket only through 'error' and 'end' (a bare destroy emits
 * neither), and then closes the connection and its channels and fails the
 * confirms still awaited.
 */
function dropSocket(connection: ChannelModel | undefined): void {
  // amqplib's typings leave out the socket (`connection.stream`), which it keeps on every connection.
  const stream = (connection?.connection as unknown as { stream?: { destroy(err?: Error): void } } | undefined)?.stream;
  stream?.destroy(new Error('Kairos dropped the connection: RabbitMQ did not let the consumer stop in time (a memory or disk alarm)'));
}
