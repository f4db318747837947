import { AckPolicy, connect, DeliverPolicy, ErrorCode, headers, nanos, NatsError, RetentionPolicy, StorageType, type ConsumerInfo, type ConsumerMessages, type JetStreamClient, type JsMsg, type MsgHdrs, type NatsConnection } from 'nats';
import { type DeadLetterRetry, deadLetterRetryMs } from './dead-letter-retry';
import type { EventSink } from './event-sink';
import { headerValue } from './header-value';
import { type Delivery, MessagePump } from './message-pump';
import { Backoff } from '../retry/backoff';
import { settlesWithin, sleep, StopSignal, type SourceConsumer } from './source-consumer';
import { natsDurable, type NatsSource } from './source-definition';
import { natsMessageFate, subjectCovers } from './nats-subjects';
import type { SourceMetrics } from './source-metrics';
import { ThrottledWarning } from '../observability/throttled-warning';
import { UnacknowledgedCount } from './unacknowledged-count';
import { NO_NATS_LOGIN, type NatsLogin } from '../config/nats-login';

export interface NatsDeps {
  servers: string[];
  /** How the connection logs in (NATS_USER and NATS_PASSWORD, NATS_TOKEN, NATS_CREDS_FILE); default: it does not. */
  login?: NatsLogin;
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
  /** When a message whose dead letter could not be published comes back (deadLetterRetryMs); tests shorten it. */
  deadLetterRetry?: DeadLetterRetry;
  /** How long a stop waits for the batches under way before it closes the connection (STOP_GRACE_MS); tests shorten it. */
  stopGraceMs?: number;
  /** nats.js's connect; tests pass one that records the options. */
  connect?: typeof connect;
  /** RETENTION_EVENTS_DAYS (0: events are kept for ever): bounds what a stream Kairos creates keeps and where a new durable starts (replayWindowMs). */
  eventsRetentionDays: number;
  /** How much later than the window back a new durable starts (NEW_DURABLE_MARGIN_MS); tests with a window of seconds shorten it. */
  newDurableMarginMs?: number;
}

/**
 * max_deliver with no cap, for a durable that had one: the server drops a
 * message delivered that often, unacknowledged, so one that could not be
 * stored or dead-lettered yet would be lost without a trace. -1, unless
 * the durable has a backoff list: servers before 2.10.14 refuse a
 * max_deliver at or below its length, -1 included; the largest count then.
 */
function uncappedDeliveries(backoff: unknown[] | undefined): number {
  return backoff && backoff.length > 0 ? MAX_DELIVERIES : -1;
}

const MAX_DELIVERIES = 2_147_483_647;

/** Header carrying why a message was dead-lettered. */
export const NATS_REASON_HEADER = 'Kairos-Reason';
/** Header of a dead letter whose body was left out, saying where the message is. */
export const NATS_OMITTED_HEADER = 'Kairos-Body-Omitted';
/** Header of a dead letter without the message's own headers, which nats.js could not read, saying why. */
export const NATS_HEADERS_OMITTED_HEADER = 'Kairos-Headers-Omitted';
const ACK_WAIT_MS = 30_000;
/**
 * No keep-alive comes more often than this: it is one working() per held
 * message, up to max_ack_pending of them. A backoff entry shorter than it
 * still hands a slowly stored message out again (a duplicate, acknowledged
 * by its id).
 */
const MIN_KEEP_ALIVE_EVERY_MS = 250;
const DAY_MS = 86_400_000;
/**
 * How much later than the events window back a new durable starts. Its
 * first messages are the oldest; the event of one published right at the
 * window's edge is pruned by the first retention pass after creation (the
 * cutoff is the pass's time less the window), so a backlog still being
 * stored then (PostgreSQL stalled through the daily pass) would be stored
 * as new. A day covers a stall through one daily pass; the hour covers the
 * skew between the clocks compared (this host's sets the start, the NATS
 * server's stamps the messages, the worker's sets the pruning cutoff).
 */
export const NEW_DURABLE_MARGIN_MS = DAY_MS + 3_600_000;
/** Publishers' Nats-Msg-Id values are remembered this long by a stream Kairos creates. */
const DUPLICATE_WINDOW_MS = 120_000;
/** How long one pull waits for messages before asking again (nats.js takes no less). */
const FETCH_EXPIRES_MS = 1_000;
/**
 * How long a stop waits for the batches under way. A store that does not
 * return (a commit waiting on a synchronous standby that is down, no
 * statement timeout) would otherwise hold the stop, and with it every later
 * change to the sources on this instance, their HTTP answers and the
 * shutdown. After it the connection closes: what the batch held comes back
 * after the ack wait, and a commit that still lands makes those duplicates,
 * acknowledged by their event ids.
 */
const STOP_GRACE_MS = 10_000;
/**
 * A session that lasted this long worked: only then do the backoff and the
 * warnings start again from the beginning, so a connection the server ends
 * at once is not dialled anew four times a second.
 */
const STEADY_MS = 30_000;
/**
 * How long `lastError` keeps saying of a trouble met while consuming (dead
 * letters that cannot be published, messages of another version's subject)
 * after it was last met: the source looks consuming otherwise.
 */
const TROUBLE_SHOWN_MS = 60_000;
/**
 * How long the pull loop waits after a pull that brought only messages it
 * hands back (another version's subject: natsMessageFate), so an instance
 * of that version takes them, instead of this one pulling them again at
 * once, for as long as it runs the old version.
 */
const HANDED_BACK_PAUSE_MS = 1_000;
/** The waits between nats.js's own redials of a dropped connection, as the consumer's between sessions: from 250 ms to 5 s. */
const REDIAL_FIRST_MS = 250;
const REDIAL_MAX_MS = 5_000;

/**
 * The wait nats.js's dial loop asks for (reconnectDelayHandler). It asks on
 * every turn of the loop, several times a dial, and dials once the wait has
 * passed since its last dial: a wait that grew with each ask reached 5 s
 * before the second dial. So it grows with the dials made, each of which
 * nats.js announces with a `reconnecting` status.
 */
export class RedialWaits {
  private readonly backoff = new Backoff(REDIAL_FIRST_MS, REDIAL_MAX_MS);
  private current = REDIAL_FIRST_MS;

  /** A dial was made (and, if it fails, the next waits longer). */
  dialled(): void {
    this.current = this.backoff.next();
  }

  reset(): void {
    this.backoff.reset();
    this.current = REDIAL_FIRST_MS;
  }

  wait(): number {
    return this.current;
  }
}

/**
 * How far back a message may be taken as an event: the events window
 * (RETENTION_EVENTS_DAYS); undefined while events are kept for ever. Past
 * it, the event a message became may have been pruned, and the message,
 * taken again, would be stored as new (journeys entered and rewards issued
 * again), since an id `events` no longer holds is fresh. An event is pruned
 * no sooner than the window after it was received, which is after its
 * message was published; so a message younger than the window is, if it
 * was ever stored, still a duplicate.
 */
export function replayWindowMs(eventsRetentionDays: number): number | undefined {
  return eventsRetentionDays > 0 ? Math.round(eventsRetentionDays * DAY_MS) : undefined;
}

/**
 * The limits of a stream Kairos creates: it keeps a message no longer than
 * the window, as limits retention never removes an acknowledged message, so
 * it would otherwise grow for ever and hold messages a new durable would
 * replay as new events. The duplicate window may not outlast max_age.
 */
export function createdStreamLimits(windowMs: number | undefined): { max_age: number; duplicate_window: number } {
  if (windowMs === undefined) return { max_age: 0, duplicate_window: nanos(DUPLICATE_WINDOW_MS) };
  return { max_age: nanos(windowMs), duplicate_window: nanos(Math.min(DUPLICATE_WINDOW_MS, windowMs)) };
}

/**
 * Where a new durable starts: the window back less a margin
 * (NEW_DURABLE_MARGIN_MS), since the stream may be someone else's, keeping
 * messages for longer; else at the beginning. A window no longer than the
 * margin leaves no backlog safe to take: only what is published from now on
 * (by the server's clock, so no skew either).
 */
export function newDurableStart(windowMs: number | undefined, now: Date, marginMs = NEW_DURABLE_MARGIN_MS): { deliver_policy: DeliverPolicy; opt_start_time?: string } {
  if (windowMs === undefined) return { deliver_policy: DeliverPolicy.All };
  if (windowMs <= marginMs) return { deliver_policy: DeliverPolicy.New };
  return { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(now.getTime() - windowMs + marginMs).toISOString() };
}

/**
 * How often a held message is marked in progress: a third of the shortest
 * wait after which JetStream hands it out again, so a keep-alive delayed by
 * a busy event loop still comes in time. That wait is the ack wait, or on a
 * durable with a backoff list (an operator's) each delivery's entry of it:
 * nats-server sets the ack wait to the first entry and times each
 * redelivery by the entry for its count, whatever ack_wait Kairos asked
 * for. Read from the consumer as the server keeps it (nanoseconds).
 */
export function keepAliveEveryMs(config: { ack_wait?: number; backoff?: number[] }): number {
  const waitsNs = [config.ack_wait || nanos(ACK_WAIT_MS), ...(config.backoff ?? [])].filter((ns) => ns > 0);
  return Math.max(MIN_KEEP_ALIVE_EVERY_MS, Math.floor(Math.min(...waitsNs) / 1e6 / 3));
}

/**
 * Why a NATS connection failed or closed, when the server refused its login
 * (nats.js's auth errors: Authorization Violation, an expired user or
 * account, no login in time): said as such, with the variables to check, so
 * `lastError` (GET /v1/sources/:key) and the log tell a refused login from a
 * server that is away. Null for any other error. Nothing of the secret.
 */
export function natsLoginProblem(err: unknown, login: NatsLogin): string | null {
  if (!(err instanceof NatsError) || !(err.isAuthError() || err.isAuthTimeout())) return null;
  const said = err.message.replace(/^'(.*)'$/, '$1');
  const what =
    login.method === 'none'
      ? `the server requires a login and Kairos has none (${login.variables} is set): set NATS_USER and NATS_PASSWORD, NATS_TOKEN or NATS_CREDS_FILE`
      : `the server refused the login of ${login.variables}: check it against the server's authorization`;
  return `cannot log in to NATS (${said}): ${what}`;
}

/** The server's max_payload (refused before sending) or the stream's max_msg_size (refused by JetStream). */
function isTooLarge(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return (err instanceof NatsError && err.code === ErrorCode.MaxPayloadExceeded) || /exceeds maximum/i.test(err.message);
}

/** No stream takes the subject published to (the server answered 503, no responders). */
const isNoStream = (err: unknown): boolean => err instanceof NatsError && err.code === ErrorCode.NoResponders;

/**
 * A message's headers as nats.js reads them, or why it cannot. nats.js
 * decodes them when first asked, and refuses a header name with a character
 * outside ASCII 33-126 (`Trace Id`, `Größe`) with BAD_HEADER; the server
 * checks no names, and other clients (nats.py) send them as written. Asked
 * bare, inside the consume loop, that refusal ended the session at every
 * delivery of such a message, which then came back first after the ack wait,
 * for ever: its body was never looked at, and the messages pulled after it
 * were stored out of order.
 */
export function readHeaders(msg: Pick<JsMsg, 'headers'>): { headers: MsgHdrs | undefined } | { unreadable: string } {
  try {
    return { headers: msg.headers };
  } catch (err) {
    return { unreadable: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Headers JetStream acts on when a message is published to a stream
 * (nats-server `processJetStreamMsg`): `Nats-Msg-Id` (deduplication),
 * `Nats-Expected-*` (optimistic concurrency), `Nats-TTL` (per-message TTL),
 * `Nats-Rollup` (purges the subject, or the whole stream), `Nats-Incr`
 * (counters), `Nats-Schedule*` and `Nats-Scheduler` (message schedules),
 * `Nats-Batch-*` (atomic batches), `Nats-Stream-Source` (refused unless
 * sourced), `Nats-Marker-Reason` (a delete marker) and
 * `Nats-Required-Api-Level`. A dead letter goes to the same stream, so a
 * publisher's copied along would refuse it for good (a wrong last sequence),
 * expire it before anyone reads it, or purge earlier dead letters or the
 * stream; the server's own scheduler strips them when it republishes a
 * stored message, for the same reason. Compared without case.
 */
const JETSTREAM_HEADERS = new Set(['nats-msg-id', 'nats-ttl', 'nats-rollup', 'nats-incr', 'nats-stream-source', 'nats-marker-reason', 'nats-required-api-level']);
const JETSTREAM_HEADER_PREFIXES = ['nats-expected-', 'nats-schedule', 'nats-batch-'];

/** Whether JetStream acts on a header of a published message (JETSTREAM_HEADERS): a dead letter leaves it out. */
export function isJetStreamDirective(name: string): boolean {
  const n = name.toLowerCase();
  return JETSTREAM_HEADERS.has(n) || JETSTREAM_HEADER_PREFIXES.some((p) => n.startsWith(p));
}

/** The dead-letter subjects a stream must also hold: a `>` subject holds them already. */
const deadLetterSubjects = (subject: string): string[] => (subject.endsWith('>') ? [] : [`${subject}.dlq`]);

/** Whether some subject matches both patterns (`*` one token, a final `>` one or more). */
export function subjectsOverlap(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (i >= x.length || i >= y.length) return false;
    if (x[i] === '>' || y[i] === '>') return true;
    if (x[i] !== '*' && y[i] !== '*' && x[i] !== y[i]) return false;
  }
  return true;
}

/**
 * Whether some message would be an event of both sources: their subjects
 * overlap, and not only on the dead letters one of them publishes and skips
 * (a source replaying `orders.paid.dlq` beside the `orders.>` source that
 * dead-lettered them takes messages the other never maps).
 */
export function subjectsShareEvents(a: string, b: string): boolean {
  if (!subjectsOverlap(a, b)) return false;
  const onlyDeadLettersOf = (source: string, replay: string) => replay.endsWith('.dlq') && subjectCovers(source, replay.slice(0, -'.dlq'.length));
  return !onlyDeadLettersOf(a, b) && !onlyDeadLettersOf(b, a);
}

/**
 * A NATS JetStream source: its own connection, a durable pull consumer with
 * explicit acks, pulling only as much as the pump has room for (`prefetch`),
 * so a source whose database writes stall stops taking messages. The stream
 * is created when absent, with a duplicate window for publishers'
 * `Nats-Msg-Id` and the events window as its max_age; a new durable starts
 * no further back than that window (replayWindowMs). Dead letters go to
 * `<subject>.dlq` with the reason in a header; they are in the stream too,
 * and the consumer skips them.
 */
export class NatsConsumer implements SourceConsumer {
  readonly key: string;
  private nc: NatsConnection | undefined;
  private ready = false;
  /** The connection is trying to reconnect: nothing is consumed meanwhile, whatever isClosed() says. */
  private disconnected = false;
  private readonly stop$ = new StopSignal();
  private pump: MessagePump | undefined;
  /** The pull in flight: stopped before the connection closes, or its heartbeat timer outlives it and logs to stderr. */
  private fetching: ConsumerMessages | undefined;
  private running: Promise<void> | undefined;
  private lagTimer: NodeJS.Timeout | undefined;
  /** Bumped when the lag stops being read: a reading that comes back after it is dropped, not shown as the lag. */
  private lagWatch = 0;
  /** Dead letters that could not be published since `since`, while they keep failing (said in lastError). */
  private deadLetterTrouble: { count: number; since: Date } | undefined;
  /** Per trouble shown in lastError while consuming (showTrouble), what it says and the timer that clears it. */
  private readonly shown = new Map<string, { text: string; timer: NodeJS.Timeout }>();
  /** Resets the backoff and the warnings once a session lasted STEADY_MS. */
  private steadyTimer: NodeJS.Timeout | undefined;
  /** Between attempts to connect and consume: from 250 ms to 5 s, from the start again once a session is steady (STEADY_MS). */
  private readonly backoff = new Backoff(250, 5_000);
  /** A source that cannot consume retries every few seconds: each reason is logged at once, then once a minute while it lasts. */
  private readonly trouble = new ThrottledWarning(60_000, (text) => this.deps.log.warn(text), { perText: true });
  /** Deliveries of this connection not acknowledged or nak'ed yet: JetStream's pending count (the lag) leaves them out. */
  private readonly unacked: UnacknowledgedCount;
  private readonly replayWindow: number | undefined;
  private readonly login: NatsLogin;

  constructor(
    private readonly def: NatsSource,
    private readonly deps: NatsDeps,
  ) {
    this.key = def.key;
    this.unacked = new UnacknowledgedCount(deps.metrics.unacknowledged, def.key);
    deps.metrics.deadLetterFailuresShown(def.key);
    this.replayWindow = replayWindowMs(deps.eventsRetentionDays);
    this.login = deps.login ?? NO_NATS_LOGIN;
  }

  lastError: string | null = null;

  get connected(): boolean {
    return this.ready && !this.disconnected && this.nc !== undefined && !this.nc.isClosed();
  }

  start(): void {
    // run() handles its own failures; this is the last guard, since an unhandled rejection ends the API process.
    this.running = this.run().catch((err: unknown) => this.deps.log.warn(`source ${this.key}: stopped consuming after an unexpected error (${(err as Error).message})`));
  }

  async stop(): Promise<void> {
    this.stop$.request();
    this.unwatchLag();
    // The pull first: what it still holds would otherwise reach a stopped pump.
    this.fetching?.stop();
    // run() wakes from its wait on the stop, stops the pump (within STOP_GRACE_MS) and closes the connection.
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.stop$.requested) {
      const attempt = this.consume().catch((err: unknown) => {
        // A refused login is said as such (not the bare "Authorization Violation"); it is retried like a server away, so a fixed server-side login is picked up.
        const loginProblem = natsLoginProblem(err, this.login);
        if (!this.stop$.requested) this.trouble.say(`source ${this.key}: ${loginProblem ?? `cannot consume from NATS (${(err as Error).message})`}`);
        this.lastError = loginProblem ?? (err as Error).message;
      });
      // A stop does not wait for a connect in progress; consume() closes what it opens after the stop.
      await this.stop$.race(attempt);
      this.ready = false;
      clearTimeout(this.steadyTimer);
      this.fetching?.stop();
      this.fetching = undefined;
      await this.stopPump();
      this.pump = undefined;
      await this.nc?.close().catch(() => undefined);
      this.nc = undefined;
      this.unwatchLag();
      this.unacked.newConnection();
      if (!this.stop$.requested) await this.stop$.race(sleep(this.backoff.next()));
    }
  }

  /**
   * The pump's stop, for at most STOP_GRACE_MS: a batch whose store does not
   * return must hold neither the stop nor the next connect. Past it, the
   * caller closes the connection, and the batch's messages come back after
   * the ack wait.
   */
  private async stopPump(): Promise<void> {
    if (!this.pump) return;
    // Never rejects (the pump guards each hand-back); were it to, the source would still connect anew.
    const stopped = this.pump.stop().catch((err: unknown) => this.deps.log.warn(`source ${this.key}: ${(err as Error).message}`));
    const graceMs = this.deps.stopGraceMs ?? STOP_GRACE_MS;
    if (!(await settlesWithin(stopped, graceMs))) {
      this.deps.log.warn(
        `source ${this.key}: a batch was still being stored ${Math.round(graceMs / 1000)} s after the consumer was asked to stop (PostgreSQL slow or stalled); the connection is closed, and its messages come back after the ack wait (as duplicates, if the store still commits)`,
      );
    }
  }

  /** A reconnecting connection is not consuming: say so in `connected` and `lastError` (the state a GET shows), and log it once; a refused login on reconnecting too. */
  private watchStatus(nc: NatsConnection, redial: RedialWaits): void {
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect') {
          this.disconnected = true;
          this.lastError = `disconnected from NATS at ${String(s.data)}; reconnecting`;
          this.deps.log.warn(`source ${this.key}: ${this.lastError}`);
        } else if (s.type === 'reconnecting') {
          redial.dialled();
        } else if (s.type === 'reconnect') {
          this.disconnected = false;
          redial.reset();
          this.lastError = null;
          this.deps.log.warn(`source ${this.key}: reconnected to NATS at ${String(s.data)}`);
        } else if (s.type === 'error') {
          // A reconnect the server refused (its authorization changed): nats.js gives up on the second, and the
          // consumer connects anew with backoff; meanwhile the state says why rather than "reconnecting".
          const loginProblem = natsLoginProblem(NatsError.errorForCode(String(s.data) as ErrorCode), this.login);
          if (loginProblem) {
            this.lastError = loginProblem;
            this.trouble.say(`source ${this.key}: ${loginProblem}`);
          }
        }
      }
    })().catch(() => undefined);
  }

  /**
   * An existing durable (an operator's) whose max_expires is shorter than a
   * pull waits (FETCH_EXPIRES_MS, the least nats.js asks for) has the server
   * refuse every pull with a 409 that nats.js does not raise: the source
   * would look consuming and take nothing. Refused with why instead (the
   * source retries with backoff until the durable is changed).
   */
  private ensurePullsAllowed(config: { max_expires?: number }, stream: string, durable: string): void {
    const maxExpires = config.max_expires ?? 0;
    if (maxExpires <= 0 || maxExpires >= nanos(FETCH_EXPIRES_MS)) return;
    throw new Error(
      `the durable consumer ${durable} on stream ${stream} has max_expires ${maxExpires / 1e6} ms, and each pull of Kairos waits ${FETCH_EXPIRES_MS} ms, so the server would refuse every one: raise its max_expires to at least ${FETCH_EXPIRES_MS} ms (or 0, no limit), or name another durable`,
    );
  }

  /**
   * A stream that existed must already take the source's subject: Kairos
   * adds only its own dead-letter subjects to someone else's stream. Checked
   * before anything is changed, so a source on the wrong stream leaves it as
   * it was; the source retries (with backoff) until the stream is put right.
   */
  private ensureStreamTakes(stream: string, subjects: string[]): void {
    if (subjects.some((s) => subjectCovers(s, this.def.subject))) return;
    throw new Error(`stream ${stream} does not take ${this.def.subject} (its subjects: ${subjects.join(', ') || 'none'}); add it to the stream's subjects, or name the stream that takes it`);
  }

  /**
   * Dead letters go to the source's own stream, and only a limits stream
   * that confirms publishes keeps them. An interest or workqueue stream
   * drops a dead letter no consumer's filter takes as it is published, or
   * deletes it once this source's durable acks it as its own (a `>`
   * subject), and the original goes with its ack: neither copy is left.
   * A no_ack stream confirms no publish, so no dead letter ever is, and a
   * bad message would come back for ever. Checked before anything is
   * changed; the source retries (with backoff) until it is given another
   * stream.
   */
  private ensureKeepsDeadLetters(stream: string, config: { retention: RetentionPolicy; no_ack?: boolean }): void {
    if (config.retention !== RetentionPolicy.Limits) {
      throw new Error(
        `stream ${stream} has retention "${config.retention}", which would remove the dead letters Kairos publishes to it (and the bad message with them, once acknowledged); Kairos needs a stream with retention "limits": name one in the source's "stream" (or leave it to Kairos to create)`,
      );
    }
    if (config.no_ack) {
      throw new Error(
        `stream ${stream} does not acknowledge publishes (no_ack), so no dead letter published to it could be confirmed and a bad message would come back for ever; Kairos needs a stream that acknowledges: name one in the source's "stream" (or leave it to Kairos to create)`,
      );
    }
  }

  /**
   * Dead letters go to `<subject>.dlq`, which must be in the stream. A
   * stream Kairos creates holds it; one that existed gets it added. When it
   * cannot be added (another stream holds that subject), consuming would
   * leave every bad message unacknowledged, redelivered for ever in front
   * of the good ones: the source stops with why instead.
   */
  private async ensureDeadLetterSubjects(jsm: Awaited<ReturnType<NatsConnection['jetstreamManager']>>, info: Awaited<ReturnType<typeof jsm.streams.info>>): Promise<void> {
    const wanted = deadLetterSubjects(this.def.subject).filter((dlq) => !info.config.subjects.some((s) => subjectCovers(s, dlq)));
    if (wanted.length === 0) return;
    try {
      await jsm.streams.update(info.config.name, { ...info.config, subjects: [...info.config.subjects, ...wanted] });
      this.deps.log.warn(`source ${this.key}: added ${wanted.join(', ')} to stream ${info.config.name} for dead letters`);
    } catch (err) {
      throw new Error(`stream ${info.config.name} does not hold ${wanted.join(', ')}, where dead letters go, and it could not be added (${(err as Error).message}); add it to the stream's subjects`);
    }
  }

  /**
   * `<subject>.dlq` back in the stream when a dead letter went to no stream
   * while consuming: taken out of the stream's subjects since the connect
   * (a controller reconciling them), every dead letter failed, and each bad
   * message came back for ever, until the next session. As at connect, from
   * the stream as it is now.
   */
  private async restoreDeadLetterSubjects(jsm: Awaited<ReturnType<NatsConnection['jetstreamManager']>>, stream: string): Promise<void> {
    await this.ensureDeadLetterSubjects(jsm, await jsm.streams.info(stream));
  }

  /**
   * NATS refuses a stream whose subjects another stream holds, without
   * saying which one: name it, and what to do, since the source retries
   * until someone does.
   */
  private async overlapError(jsm: Awaited<ReturnType<NatsConnection['jetstreamManager']>>, stream: string, subjects: string[], err: Error): Promise<Error> {
    const holders: string[] = [];
    try {
      for await (const info of jsm.streams.list()) {
        const taken = (info.config.subjects ?? []).filter((s) => subjects.some((mine) => subjectsOverlap(s, mine)));
        if (taken.length > 0) holders.push(`${info.config.name} (${taken.join(', ')})`);
      }
    } catch {
      // Listing is only to say more: the server's own words stay.
    }
    if (holders.length === 0) return err;
    return new Error(
      `stream ${stream} cannot be created for ${subjects.join(', ')}: stream ${holders.join(', stream ')} already takes those subjects; name that stream in the source's "stream", or change its subjects`,
    );
  }

  private async consume(): Promise<void> {
    const { stream, subject } = this.def;
    // nats.js's own wait is a fixed one (reconnectTimeWait): every source of every instance would redial a server that is
    // away several times a second for the whole outage, and all come back at once.
    const redial = new RedialWaits();
    const nc = await (this.deps.connect ?? connect)({
      servers: this.deps.servers,
      name: `kairos-source-${this.key}`,
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectDelayHandler: () => redial.wait(),
      ...this.login.connectOptions(),
    });
    redial.reset();
    if (this.stop$.requested) {
      await nc.close().catch(() => undefined);
      return;
    }
    this.nc = nc;
    this.disconnected = false;
    this.watchStatus(nc, redial);
    const jsm = await nc.jetstreamManager();
    const streamInfo = await jsm.streams.info(stream).catch(() => undefined);
    if (!streamInfo) {
      const subjects = [subject, ...deadLetterSubjects(subject)];
      await jsm.streams.add({ name: stream, subjects, storage: StorageType.File, ...createdStreamLimits(this.replayWindow) }).catch(async (err: Error) => {
        throw /subjects overlap/i.test(err.message) ? await this.overlapError(jsm, stream, subjects, err) : err;
      });
    } else {
      this.ensureStreamTakes(streamInfo.config.name, streamInfo.config.subjects ?? []);
      this.ensureKeepsDeadLetters(streamInfo.config.name, streamInfo.config);
      await this.ensureDeadLetterSubjects(jsm, streamInfo);
    }
    const durable = natsDurable(this.def);
    const settings = { filter_subject: subject, ack_wait: nanos(ACK_WAIT_MS), max_ack_pending: Math.max(this.def.prefetch * 2, 1000) };
    const existing = await jsm.consumers.info(stream, durable).catch(() => undefined);
    // A durable that acknowledges by itself (none, all) would lose a message whose store failed: not used.
    if (existing && existing.config.ack_policy !== AckPolicy.Explicit) {
      throw new Error(`the durable consumer ${durable} on stream ${stream} exists with ack policy "${existing.config.ack_policy}"; Kairos needs "explicit" (it acknowledges a message only once it is stored): delete it, or name another durable`);
    }
    if (existing) this.ensurePullsAllowed(existing.config, stream, durable);
    // One that delivers headers only (an operator's, `--headers-only`) hands over no body: every message would be
    // dead-lettered as not JSON, without its body or where it is, and acknowledged. The update would keep the setting.
    if (existing?.config.headers_only) {
      throw new Error(`the durable consumer ${durable} on stream ${stream} delivers headers only (headers_only), so Kairos would read no message body and dead-letter every message: set headers_only off, or name another durable`);
    }
    let ready: ConsumerInfo;
    if (existing) {
      const cap = existing.config.max_deliver;
      // Not the largest count: that is this code's own lifting of a cap beside a backoff list (uncappedDeliveries).
      const capped = cap !== undefined && cap > 0 && cap < MAX_DELIVERIES;
      ready = await jsm.consumers.update(stream, durable, capped ? { ...settings, max_deliver: uncappedDeliveries(existing.config.backoff) } : settings);
      if (capped) {
        this.deps.log.warn(`source ${this.key}: the durable consumer ${durable} had max_deliver ${cap}; set to unlimited, since the server would drop a message Kairos could not store or dead-letter in ${cap} deliveries`);
      }
    } else ready = await jsm.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit, ...newDurableStart(this.replayWindow, new Date(), this.deps.newDurableMarginMs), ...settings });

    const js = nc.jetstream();
    // One repair at a time, shared by the dead letters that failed meanwhile.
    let repairing: Promise<void> | undefined;
    const repairDeadLetters = () => (repairing ??= this.restoreDeadLetterSubjects(jsm, stream).finally(() => (repairing = undefined)));
    const consumer = await js.consumers.get(stream, durable);
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
      keepAliveEveryMs: keepAliveEveryMs(ready.config),
    });
    this.pump = pump;
    this.ready = true;
    this.lastError = null;
    this.steadyTimer = setTimeout(() => {
      this.backoff.reset();
      this.trouble.clear();
    }, STEADY_MS).unref();
    this.watchLag(() => consumer.info().then((i) => i.num_pending));
    this.unacked.newConnection();

    // A durable's max_batch (an operator's) caps what one pull may ask for: the server answers a larger pull with a 409
    // that nats.js only reports as a debug status, so the pull would end empty, every time, while the source looked fine.
    const pullMost = (ready.config.max_batch ?? 0) > 0 ? ready.config.max_batch! : this.def.prefetch;
    // Closed for good (nats.js gives up after repeated auth errors, whatever maxReconnectAttempts says): a loop waiting
    // for room in the pump (PostgreSQL down) would wait for ever on a connection that can deliver nothing more.
    const closed = nc.closed();
    while (!this.stop$.requested && !nc.isClosed()) {
      await Promise.race([pump.roomFor(this.def.prefetch), closed]);
      if (this.stop$.requested || nc.isClosed()) break;
      const batch = await consumer.fetch({ max_messages: Math.min(this.def.prefetch - pump.load, pullMost), expires: FETCH_EXPIRES_MS });
      this.fetching = batch;
      let consumed = 0;
      let handedBack = 0;
      for await (const msg of batch) {
        // Headers nats.js cannot read are no Kairos-Reason (Kairos writes its dead letters' own): the message is mapped from its body.
        const read = readHeaders(msg);
        const fate = natsMessageFate(this.def.subject, msg.subject, 'headers' in read && (read.headers?.has(NATS_REASON_HEADER) ?? false));
        if (fate === 'consume') {
          consumed++;
          pump.push(this.delivery(js, msg, this.unacked.take(), repairDeadLetters));
        } else if (fate === 'skip') msg.ack();
        else {
          handedBack++;
          this.handBackForeign(msg, durable);
        }
      }
      if (handedBack > 0 && consumed === 0) await this.stop$.race(sleep(HANDED_BACK_PAUSE_MS));
    }
    // Not a stop: say why, and run() connects anew with backoff; what this connection held comes back after the ack wait.
    if (!this.stop$.requested) {
      const why = await closed;
      // Closed by refused logins on reconnecting (the server's authorization changed): said as a refused login.
      if (natsLoginProblem(why, this.login)) throw why;
      throw new Error(`the connection to NATS closed${why instanceof Error ? ` (${why.message})` : ''}; connecting again`);
    }
  }

  /** `repairDeadLetters`: puts `<subject>.dlq` back in the stream (restoreDeadLetterSubjects), tried once when a dead letter went to no stream. */
  private delivery(js: JetStreamClient, msg: JsMsg, settled: () => void, repairDeadLetters?: () => Promise<void>): Delivery {
    return {
      body: msg.data,
      // A plain explicit ack, not ackAck: waiting for the server's confirmation per message halves throughput, and an ack
      // lost on the way only brings the message again, as a duplicate.
      ack: async () => {
        try {
          msg.ack();
        } finally {
          // Not sent (the connection closed), it comes back after the ack wait: no longer held here either way.
          settled();
        }
      },
      deadLetter: async (reason: string) => {
        try {
          await this.publishDeadLetter(js, msg, reason, repairDeadLetters);
        } catch (err) {
          // Not dead-lettered, so not acknowledged: it comes back later each time it fails (the pump says why). The
          // first wait is the ack wait's (30 s), after which it came back before.
          try {
            msg.nak(deadLetterRetryMs(msg.info.redeliveryCount, this.deps.deadLetterRetry));
          } catch {
            // The connection is gone: the message comes back after the ack wait, as it did before.
          }
          settled();
          this.deadLetterFailed(msg.subject, err);
          throw err;
        }
        // The dead letters can be published again: lastError no longer says they cannot.
        this.deadLetterTrouble = undefined;
        this.troubleOver('dead letters');
        try {
          await msg.ackAck();
        } finally {
          // Not confirmed, it may still have been acknowledged; else it comes back after the ack wait, not held here.
          settled();
        }
      },
      // Both throw once the connection closed for good: the message then comes back after the ack wait, as it would anyway.
      keepAlive: () => {
        try {
          msg.working();
        } catch {
          // The consumer notices the closed connection and connects anew.
        }
      },
      release: () => {
        try {
          msg.nak();
        } catch {
          // As above: handed back by the ack wait instead.
        } finally {
          settled();
        }
      },
    };
  }

  /**
   * `msg` with why beside it on `<subject>.dlq`; dead-lettering again after a
   * redelivery is one dead letter for the stream's duplicate window. One that
   * went to no stream (`<subject>.dlq` taken out of the stream's subjects
   * while consuming) has the subject put back (`repairDeadLetters`) and is
   * sent once more before the message is taken back.
   */
  private async publishDeadLetter(js: JetStreamClient, msg: JsMsg, reason: string, repairDeadLetters?: () => Promise<void>): Promise<void> {
    try {
      await this.sendDeadLetter(js, msg, reason);
    } catch (err) {
      if (!repairDeadLetters || !isNoStream(err)) throw err;
      await repairDeadLetters();
      await this.sendDeadLetter(js, msg, reason);
    }
  }

  private async sendDeadLetter(js: JetStreamClient, msg: JsMsg, reason: string): Promise<void> {
    const publish = (data: Uint8Array, h: MsgHdrs) => js.publish(`${msg.subject}.dlq`, data, { headers: h, msgID: `${msg.info.stream}:${msg.seq}:dlq` });
    const read = readHeaders(msg);
    // Headers nats.js cannot read (readHeaders) are left out, and the dead letter says so: Kairos's own go with it.
    const ownHeaders = () => {
      const h = this.deadLetterHeaders(reason, undefined);
      if ('unreadable' in read) h.set(NATS_HEADERS_OMITTED_HEADER, headerValue(`the message's headers could not be read (${read.unreadable})`));
      return h;
    };
    try {
      await publish(msg.data, 'headers' in read ? this.deadLetterHeaders(reason, read.headers) : ownHeaders());
    } catch (err) {
      if (!isTooLarge(err)) throw err;
      // The message with the reason beside it weighs more than the server or the stream takes: were it left
      // unacknowledged, it would come back for ever. The dead letter says where the message itself still is.
      const h = ownHeaders();
      h.set(NATS_OMITTED_HEADER, `${msg.data.length} bytes, too large to copy with the reason; the message is in stream ${msg.info.stream} at sequence ${msg.seq}`);
      await publish(new Uint8Array(0), h);
    }
  }

  /**
   * The publisher's headers but those JetStream would act on again
   * (isJetStreamDirective), why (on one line: nats.js refuses a line break
   * in a header, and a letter that can never be published would come back
   * for ever), and which source.
   */
  private deadLetterHeaders(reason: string, original: MsgHdrs | undefined): MsgHdrs {
    const h = headers();
    for (const [k, v] of original ?? []) if (!isJetStreamDirective(k)) for (const value of v) h.append(k, value);
    h.set(NATS_REASON_HEADER, headerValue(reason));
    h.set('Kairos-Source', this.key);
    return h;
  }

  private watchLag(read: () => Promise<number>): void {
    clearInterval(this.lagTimer);
    const watch = ++this.lagWatch;
    const measure = () =>
      read()
        .then((n) => {
          if (watch === this.lagWatch) this.deps.metrics.lag.set({ source: this.key }, n);
        })
        .catch(() => {
          if (watch === this.lagWatch) this.deps.metrics.lagUnknown(this.key);
        });
    void measure();
    this.lagTimer = setInterval(() => void measure(), this.deps.lagEveryMs ?? 5_000);
    this.lagTimer.unref();
  }

  /**
   * The lag is no longer read (the session ended, the consumer stopped): no
   * value rather than the last one, which would otherwise stay for good
   * (a source whose stored definition turned invalid keeps its series).
   */
  private unwatchLag(): void {
    clearInterval(this.lagTimer);
    this.lagTimer = undefined;
    this.lagWatch++;
    this.deps.metrics.lagUnknown(this.key);
  }

  /**
   * Shows a trouble met while consuming in `lastError` (the state stays
   * `consuming`) until TROUBLE_SHOWN_MS after it was last met; `kind` keeps
   * the timers of different troubles apart, and `ended` runs when it is no
   * longer shown.
   */
  private showTrouble(kind: string, text: string, ended?: () => void): void {
    this.lastError = text;
    clearTimeout(this.shown.get(kind)?.timer);
    const timer = setTimeout(() => {
      ended?.();
      this.troubleOver(kind);
    }, TROUBLE_SHOWN_MS);
    timer.unref();
    this.shown.set(kind, { text, timer });
  }

  /** A trouble shown by showTrouble is over: no longer in `lastError` (unless something else was said since). */
  private troubleOver(kind: string): void {
    const shown = this.shown.get(kind);
    if (!shown) return;
    clearTimeout(shown.timer);
    this.shown.delete(kind);
    if (this.lastError === shown.text) this.lastError = null;
  }

  /**
   * A dead letter could not be published, and its message went back to
   * JetStream to be tried again later (up to 15 minutes on): counted, and
   * said in `lastError`. Nothing else would show it: JetStream holds the
   * message as pending an ack, which is neither the lag (num_pending) nor
   * this instance's kairos_source_unacknowledged, and up to the durable's
   * max_ack_pending of them can go round for hours.
   */
  private deadLetterFailed(subject: string, err: unknown): void {
    this.deps.metrics.deadLetterFailures.inc({ source: this.key });
    if (this.stop$.requested) return;
    const trouble = (this.deadLetterTrouble ??= { count: 0, since: new Date() });
    trouble.count++;
    const why = err instanceof Error ? err.message : String(err);
    this.showTrouble(
      'dead letters',
      `${trouble.count} dead letter(s) could not be published since ${trouble.since.toISOString()} (the latest, to ${subject}.dlq: ${why}); their messages are not acknowledged, and come back to be tried again later`,
      () => (this.deadLetterTrouble = undefined),
    );
  }

  /**
   * Hands back a message on a subject this version of the source does not
   * consume (natsMessageFate): the durable's filter was set by an instance
   * running another version. Said in `lastError` and the log, since events
   * of that subject wait for that instance.
   */
  private handBackForeign(msg: JsMsg, durable: string): void {
    try {
      msg.nak();
    } catch {
      // The connection is gone: the message is handed out again after the ack wait.
    }
    if (this.stop$.requested) return;
    const text = `the durable consumer ${durable} hands out messages on ${msg.subject}, which this instance's version of the source (subject ${this.def.subject}) does not consume: another instance runs another version of it (a subject change is applied by each instance at its reload); they are handed back for that one`;
    this.showTrouble('foreign subject', text);
    this.trouble.say(`source ${this.key}: ${text}`);
  }
}
