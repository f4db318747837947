import { randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { type DeadLetterRetry, deadLetterRetryMs } from './dead-letter-retry';
import type { EventSink } from './event-sink';
import { headerValue } from './header-value';
import { MessagePump } from './message-pump';
import { deadLetterProperties, REASON_HEADER } from './rabbitmq-dead-letter-properties';
import { DEAD_LETTER_ID_HEADER, DeadLetterPublisher } from './rabbitmq-dead-letter-publisher';
import { Backoff } from '../retry/backoff';
import { settlesWithin, sleep, StopSignal, type SourceConsumer } from './source-consumer';
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
  /** The largest message taken (MAX_BODY_BYTES, what POST /v1/events reads): PumpOptions.bodyCapBytes. */
  bodyCapBytes: number;
  metrics: SourceMetrics;
  log: { warn(message: string): void };
  lagEveryMs?: number;
  /** When a message whose dead letter could not be published goes back to the queue (deadLetterRetryMs); tests shorten it. */
  deadLetterRetry?: DeadLetterRetry;
  /** How long a stop waits for the batches under way and a clean close before it drops the connection (STOP_GRACE_MS); tests shorten it. */
  stopGraceMs?: number;
  /** How long lastError says messages keep coming back after the last one did (REDELIVERIES_SHOWN_MS); tests shorten it. */
  redeliveriesShownMs?: number;
  /** The waits between attempts to connect and consume (from 250 ms to 5 s when not given); tests pass one that records them. */
  reconnectBackoff?: Backoff;
}

/**
 * How long a stop waits for the batches under way (a dead letter's confirm
 * among them) and the connections' close handshakes. During a memory or disk
 * alarm the broker stops reading from publishing connections (the
 * dead-letter one, once it has published): neither comes until the alarm
 * ends, and a source change or a shutdown would wait that long. After it,
 * the sockets are dropped: the confirms still awaited fail, and the broker
 * puts back every message not acknowledged.
 */
const STOP_GRACE_MS = 10_000;

/**
 * A session that lasted this long, or acknowledged a message, worked: only
 * then do the backoff and the warnings start again from the beginning. A
 * session the broker ends at once (a message that closes the channel each
 * time it is delivered) otherwise reconnected four times a second, with
 * every warning said again each time.
 */
const STEADY_MS = 30_000;

/**
 * RabbitMQ's count of a message's earlier deliveries (quorum queues), from
 * which the source says the message keeps coming back: a quorum queue with
 * a delivery limit (20 by default from RabbitMQ 4.0) drops it, or
 * dead-letters it without Kairos's reason, past that limit.
 */
const MANY_DELIVERIES = 10;
/** How long `lastError` keeps saying messages come back after the last one that did. */
const REDELIVERIES_SHOWN_MS = 60_000;

/**
 * A delivery from a RabbitMQ stream (`x-queue-type: stream`): the broker puts
 * each message's offset in its `x-stream-offset` header, and only a stream's
 * deliveries carry one. AMQP has no look at a queue's type before
 * consuming, so the first delivery tells.
 */
export const isStreamDelivery = (msg: ConsumeMessage): boolean => msg.properties.headers?.['x-stream-offset'] !== undefined;

/**
 * Why a stream queue is not consumed. A stream keeps no position for an AMQP
 * consumer without one: each consume starts at its tail, so what is
 * published while no instance consumes (a deploy, a broker restart, a PUT
 * of the source) is never read; a nack puts nothing back, so a message held
 * while its dead letter fails, or handed back at a stop, is lost; every
 * instance reads every message; and the lag counts the whole stream.
 */
export const streamQueueProblem = (queue: string): string =>
  `queue ${queue} is a RabbitMQ stream: it keeps no position for Kairos's consumer (each connect starts at its tail, and a message put back is not delivered again), so messages published or held while the source reconnects would be lost; consume a classic or quorum queue bound to the same exchange instead (change the source's queue)`;

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
 * A RabbitMQ source on amqplib: its own connection and channel to consume,
 * prefetch as configured, the queue declared durable (when absent) with
 * `<queue>.dlx` as its dead-letter exchange (bound to `<queue>.dlq`), and a
 * second connection (`kairos-source-<key>-dead-letters`) whose confirm
 * channel publishes the dead letters (DeadLetterPublisher says why apart).
 * Reconnects with backoff whenever either connection or the consuming
 * channel goes; deliveries not yet acknowledged then come again and are
 * acknowledged as duplicates.
 */
export class RabbitMqConsumer implements SourceConsumer {
  readonly key: string;
  private connection: ChannelModel | undefined;
  private deadLetterConnection: ChannelModel | undefined;
  private channel: Channel | undefined;
  private pump: MessagePump | undefined;
  private readonly stop$ = new StopSignal();
  private running: Promise<void> | undefined;
  private lagTimer: NodeJS.Timeout | undefined;
  /** Bumped at teardown: a lag reading that comes back after it is dropped, not shown for a session that is over. */
  private lagWatch = 0;
  /** Rounds of dead letters that could not be published since the last one that could: how long the next failed one is held. */
  private deadLetterFailures = 0;
  /** Messages whose dead letter failed, held until their turn to go back to the queue: each one's timer and how it goes back. */
  private readonly held = new Map<NodeJS.Timeout, () => void>();
  /** Between attempts to connect and consume: from 250 ms to 5 s, from the start again once a session is steady (STEADY_MS). */
  private readonly backoff: Backoff;
  /** Whether this session has lasted STEADY_MS or acknowledged a message; its timer meanwhile. */
  private steady = false;
  private steadyTimer: NodeJS.Timeout | undefined;
  /** Clears the redeliveries' lastError once none came back for REDELIVERIES_SHOWN_MS. */
  private redeliveriesTimer: NodeJS.Timeout | undefined;
  /** A source that cannot consume retries every few seconds: each reason is logged at once, then once a minute while it lasts. */
  private readonly trouble = new ThrottledWarning(60_000, (text) => this.deps.log.warn(text), { perText: true });
  /** Deliveries on this channel not acknowledged or put back yet: RabbitMQ's ready count (the lag) leaves them out. */
  private readonly unacked: UnacknowledgedCount;
  /** Set once a delivery showed the queue is a RabbitMQ stream (isStreamDelivery): why it is not consumed, said at every connect after. */
  private streamQueue: string | undefined;

  constructor(
    private readonly def: RabbitMqSource,
    private readonly deps: RabbitMqDeps,
  ) {
    this.key = def.key;
    this.backoff = deps.reconnectBackoff ?? new Backoff(250, 5_000);
    this.unacked = new UnacknowledgedCount(deps.metrics.unacknowledged, def.key);
    deps.metrics.deadLetterFailuresShown(def.key);
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
    const connections = [this.connection, this.deadLetterConnection];
    const clean = (async () => {
      await this.pump?.stop();
      await Promise.all(connections.map((c) => c?.close().catch(() => undefined)));
    })();
    if (!(await settlesWithin(clean, this.deps.stopGraceMs ?? STOP_GRACE_MS))) {
      this.deps.log.warn(`source ${this.key}: RabbitMQ did not let the consumer stop within ${Math.round((this.deps.stopGraceMs ?? STOP_GRACE_MS) / 1000)} s (a memory or disk alarm holds publishing); its connections are dropped, and the broker puts back what was not acknowledged`);
      for (const connection of connections) dropSocket(connection);
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
        this.steady = false;
        this.steadyTimer = setTimeout(() => this.becameSteady(), STEADY_MS).unref();
        await this.stop$.race(session.closed);
      }
      // Not waited for (a host that does not answer can take minutes); connect() closes what it opens after the stop.
      if (this.stop$.requested) void attempt.catch(() => undefined);
      await this.teardown();
      if (!this.stop$.requested) await this.stop$.race(sleep(this.backoff.next()));
    }
  }

  /**
   * The session works (it lasted STEADY_MS, or acknowledged a message): the
   * next failure is retried after the shortest wait again, and its reason
   * said at once.
   */
  private becameSteady(): void {
    if (this.steady) return;
    this.steady = true;
    clearTimeout(this.steadyTimer);
    this.backoff.reset();
    this.trouble.clear();
  }

  /** Connects and starts consuming; `closed` settles when a connection or the consuming channel is gone (wrapped: an async function would wait for a returned promise). */
  private async connect(): Promise<{ closed: Promise<void> }> {
    // A stream queue found by its deliveries: not consumed again by this source (its definition); what is said says why.
    if (this.streamQueue !== undefined) throw new Error(this.streamQueue);
    const connection = await this.open('', (c) => (this.connection = c));
    let lost!: () => void;
    const closed = new Promise<void>((resolve) => (lost = resolve));
    this.watch(connection, 'consuming', lost);
    const deadLetterConnection = await this.open('-dead-letters', (c) => (this.deadLetterConnection = c));
    this.watch(deadLetterConnection, 'dead-letter', lost);
    const deadLetters = new DeadLetterPublisher(deadLetterConnection, (text) => this.trouble.say(`source ${this.key}: ${text}`));
    const channel = await connection.createChannel();
    channel.on('error', (err: Error) => this.troubled(`RabbitMQ channel error (${err.message})`));
    channel.on('close', () => lost());

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
      bodyCapBytes: this.deps.bodyCapBytes,
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
        if (msg && isStreamDelivery(msg)) {
          // Nothing of it is taken or acknowledged: the session ends, and every later one is refused (connect).
          if (this.streamQueue === undefined) {
            this.streamQueue = streamQueueProblem(queue);
            this.troubled(this.streamQueue);
          }
          lost();
          return;
        }
        if (msg) {
          // Teardown has begun (it took the pump): while it waits for the batches under way, their acks free prefetch
          // slots the broker fills. Counted now, after teardown reset the count, such a delivery stayed in
          // kairos_source_unacknowledged until the next connect (for good, were the source not to connect again); it
          // goes back to the broker with the channel, as the pump would hand it back.
          if (this.pump !== pump) return;
          this.noteRedeliveries(msg);
          pump.push(this.delivery(connection, channel, deadLetters, msg, this.unacked.take()));
          return;
        }
        // The broker cancelled the consumer: the queue was deleted (maybe made again), or, from RabbitMQ 4.3.7, its
        // consumer_timeout passed while messages waited unacknowledged (PostgreSQL slow or away: the pump holds them
        // until they are stored). Consume anew, do not sit idle as if consuming; the broker delivers again what was held.
        this.lastError = `RabbitMQ cancelled the consumer of ${queue}: the queue was deleted, or the broker's consumer_timeout passed while messages waited to be stored (PostgreSQL slow or away); consuming again, and the messages it held are delivered again`;
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
   * A connection of this source's, named for the broker's list (`suffix`
   * tells the dead-letter one apart), handed to `keep` at once, where
   * teardown finds it; closed instead if the source stopped meanwhile.
   */
  private async open(suffix: string, keep: (connection: ChannelModel) => void): Promise<ChannelModel> {
    const connection = await amqp.connect(this.deps.url, { clientProperties: { connection_name: `kairos-source-${this.key}${suffix}` } });
    if (this.stop$.requested) {
      await connection.close().catch(() => undefined);
      throw new Error('stopped while connecting');
    }
    keep(connection);
    return connection;
  }

  /**
   * Ends the session when the connection goes, and says when the broker
   * blocks it (a memory or disk alarm): `lastError` shows it while it
   * lasts, since nothing else would (the source still looks consuming).
   */
  private watch(connection: ChannelModel, which: 'consuming' | 'dead-letter', lost: () => void): void {
    let blocked: string | null = null;
    connection.on('error', (err: Error) => this.troubled(`RabbitMQ ${which} connection error (${err.message})`));
    connection.on('close', () => lost());
    connection.on('blocked', (reason: unknown) => {
      blocked = `RabbitMQ blocked the ${which} connection: ${String(reason)}`;
      this.lastError = blocked;
      this.trouble.say(`source ${this.key}: ${blocked} (its publishes wait until the alarm ends)`);
    });
    connection.on('unblocked', () => {
      if (this.lastError === blocked) this.lastError = null;
      blocked = null;
    });
  }

  /** A trouble with the session: said (throttled) and shown in `lastError`, unless the source is stopping. */
  private troubled(text: string): void {
    if (this.stop$.requested) return;
    this.lastError = text;
    this.trouble.say(`source ${this.key}: ${text}`);
  }

  /**
   * Says when a message keeps coming back (quorum queues count its
   * deliveries): a delivery limit on the queue would have the broker drop
   * it, or dead-letter it without Kairos's reason, and nothing else says so.
   */
  private noteRedeliveries(msg: ConsumeMessage): void {
    const count = msg.properties.headers?.['x-delivery-count'];
    if (typeof count !== 'number' || count < MANY_DELIVERIES) return;
    const said = `a message of ${this.def.queue} came back ${count} times (x-delivery-count): a delivery limit on the queue would have RabbitMQ drop it, or dead-letter it without Kairos's reason; give the queue none (policy delivery-limit -1)`;
    this.lastError = said;
    // Shown while such messages come (the source looks consuming otherwise), not for ever after the last.
    clearTimeout(this.redeliveriesTimer);
    this.redeliveriesTimer = setTimeout(() => {
      if (this.lastError === said) this.lastError = null;
    }, this.deps.redeliveriesShownMs ?? REDELIVERIES_SHOWN_MS).unref();
    // Without the count, so that many such messages make one line a minute.
    this.trouble.say(`source ${this.key}: messages of ${this.def.queue} keep coming back (x-delivery-count ${MANY_DELIVERIES} or more): a delivery limit on the queue would have RabbitMQ drop them, or dead-letter them without Kairos's reason; give the queue none (policy delivery-limit -1)`);
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
   * the queue's arguments: Kairos publishes them to `<queue>.dlx` itself. A
   * stream is refused once its first delivery shows it (isStreamDelivery).
   */
  private async declareQueue(connection: ChannelModel, channel: Channel, dlx: string): Promise<void> {
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

  private delivery(connection: ChannelModel, channel: Channel, deadLetters: DeadLetterPublisher, msg: ConsumeMessage, settled: () => void) {
    return {
      body: msg.content,
      ack: async () => {
        channel.ack(msg);
        settled();
        this.becameSteady();
      },
      deadLetter: async (reason: string) => {
        const id = randomUUID();
        const exchange = deadLetterExchange(this.def.queue);
        const properties = deadLetterProperties(msg.properties, { [REASON_HEADER]: headerValue(reason), 'x-kairos-source': this.key, [DEAD_LETTER_ID_HEADER]: id });
        const publish = () => deadLetters.publish(exchange, msg.fields.routingKey, msg.content, properties);
        const routedNowhere = () => new Error(`the dead-letter exchange ${exchange} routes to no queue`);
        try {
          const first = await publish().catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
          if (first !== 'routed') {
            if (channel !== this.channel) throw first === 'returned' ? routedNowhere() : first;
            // Routed nowhere (<queue>.dlq deleted or unbound while consuming), or refused (<queue>.dlx deleted while
            // consuming: RabbitMQ closes the dead-letter channel with a 404, and as nothing declared it again while the
            // session lasted, every later dead letter failed too). What Kairos declares is declared again, as at
            // connect, and the letter sent once more; held (below) only if that fails as well.
            await this.assertDeadLetters(connection);
            if ((await publish()) === 'returned') throw routedNowhere();
          }
        } catch (err) {
          this.deps.metrics.deadLetterFailures.inc({ source: this.key });
          // The session is over (teardown has begun, or this channel is gone): the broker has the message back, or gets it
          // back when the channel closes. Held now, it would keep its body, and a timer of up to 15 minutes, for nothing.
          if (channel !== this.channel) {
            settled();
            throw err;
          }
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
        this.becameSteady();
      },
    };
  }

  private watchLag(channel: Channel): void {
    clearInterval(this.lagTimer);
    // One check at a time: a check the broker does not answer (a connection it stopped reading) must not pile up more behind it.
    let pending = false;
    const watch = this.lagWatch;
    const measure = () => {
      if (pending) return;
      pending = true;
      void channel
        .checkQueue(this.def.queue)
        .then((q) => {
          if (watch === this.lagWatch) this.deps.metrics.lag.set({ source: this.key }, q.messageCount);
        })
        .catch(() => {
          if (watch === this.lagWatch) this.deps.metrics.lagUnknown(this.key);
        })
        .finally(() => (pending = false));
    };
    measure();
    this.lagTimer = setInterval(measure, this.deps.lagEveryMs ?? 5_000);
    this.lagTimer.unref();
  }

  /**
   * Holds a message whose dead letter failed, then puts it back in the
   * queue. The wait grows by round, not by message: messages failing while
   * others are held wait as long as those, so a burst of them does not
   * push the wait to its longest at once.
   */
  private holdForRetry(channel: Channel, msg: ConsumeMessage, settled: () => void): void {
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
    clearTimeout(this.steadyTimer);
    this.releaseHeld(true);
    this.unacked.newConnection();
    this.lagWatch++;
    this.deps.metrics.lagUnknown(this.key);
    this.channel = undefined;
    const pump = this.pump;
    this.pump = undefined;
    // Bounded too: a batch still waiting on the broker must not hold the stop (or the next connect) for as long as it waits.
    if (pump) await settlesWithin(pump.stop(), this.deps.stopGraceMs ?? STOP_GRACE_MS);
    const connections = [this.connection, this.deadLetterConnection];
    this.connection = undefined;
    this.deadLetterConnection = undefined;
    // The dead-letter connection's close handshake too goes unanswered during an alarm (see STOP_GRACE_MS).
    await Promise.all(
      connections.map(async (connection) => {
        if (connection && !(await settlesWithin(connection.close(), this.deps.stopGraceMs ?? STOP_GRACE_MS))) dropSocket(connection);
      }),
    );
  }
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
