import { type ConnectionOptions, DeliverPolicy, ErrorCode, headers, nanos, NatsError, type JetStreamClient, type JsMsg, type MsgHdrs } from 'nats';
import { Registry } from 'prom-client';
import type { Delivery } from './message-pump';
import { createdStreamLimits, isJetStreamDirective, keepAliveEveryMs, NatsConsumer, natsLoginProblem, readHeaders, RedialWaits, NEW_DURABLE_MARGIN_MS, newDurableStart, replayWindowMs, subjectsOverlap, subjectsShareEvents } from './nats-consumer';
import { isOwnDeadLetter, subjectCovers } from './nats-subjects';
import { NatsSource } from './source-definition';
import { SourceMetrics } from './source-metrics';
import { loadConfig } from '../config/config';

describe('subjectCovers: does a stream subject take every subject a pattern can be', () => {
  it('matches literals, * one token and > the rest', () => {
    expect(subjectCovers('shop.paid.dlq', 'shop.paid.dlq')).toBe(true);
    expect(subjectCovers('shop.*.dlq', 'shop.paid.dlq')).toBe(true);
    expect(subjectCovers('shop.>', 'shop.paid.dlq')).toBe(true);
    expect(subjectCovers('shop.paid', 'shop.paid.dlq')).toBe(false);
    expect(subjectCovers('shop.paid.>', 'shop.paid')).toBe(false);
  });

  it('covers a wildcard pattern only with a wildcard at least as wide', () => {
    expect(subjectCovers('orders.*.dlq', 'orders.*.dlq')).toBe(true);
    expect(subjectCovers('orders.>', 'orders.*.dlq')).toBe(true);
    expect(subjectCovers('orders.eu.dlq', 'orders.*.dlq')).toBe(false);
    expect(subjectCovers('orders.*', 'orders.>')).toBe(false);
  });
});

describe('isOwnDeadLetter: which messages a source skips as the dead letters it published', () => {
  it('skips <a subject it consumes>.dlq with a reason, and consumes a dead-letter subject it was pointed at', () => {
    expect(isOwnDeadLetter('orders.>', 'orders.paid.dlq', true)).toBe(true);
    expect(isOwnDeadLetter('orders.*', 'orders.paid.dlq', true)).toBe(true);
    expect(isOwnDeadLetter('refunds.>', 'orders.paid.dlq', true)).toBe(false);
    expect(isOwnDeadLetter('orders.>', 'orders.paid', true)).toBe(false);
    // A source replaying dead letters: its own subject ends in .dlq, and those messages are its input.
    expect(isOwnDeadLetter('orders.paid.dlq', 'orders.paid.dlq', true)).toBe(false);
    expect(isOwnDeadLetter('>', 'orders.paid.dlq', true)).toBe(true);
  });

  it('consumes a business message whose subject ends in .dlq: it has no Kairos-Reason (mq probe)', () => {
    expect(isOwnDeadLetter('orders.>', 'orders.returns.dlq', false)).toBe(false);
    expect(isOwnDeadLetter('>', 'orders.paid.dlq', false)).toBe(false);
  });
});

describe('subjectsOverlap: could one message match both', () => {
  it('literals, * and > on either side', () => {
    expect(subjectsOverlap('orders.paid', 'orders.paid')).toBe(true);
    expect(subjectsOverlap('orders.paid', 'orders.refunded')).toBe(false);
    expect(subjectsOverlap('orders.*', 'orders.paid')).toBe(true);
    expect(subjectsOverlap('orders.>', 'orders.eu.paid')).toBe(true);
    expect(subjectsOverlap('orders.*', 'orders.eu.paid')).toBe(false);
    expect(subjectsOverlap('*.paid', 'orders.*')).toBe(true);
    expect(subjectsOverlap('orders.>', 'orders')).toBe(false);
    expect(subjectsOverlap('>', 'anything.at.all')).toBe(true);
    expect(subjectsOverlap('a.b', 'a.b.c')).toBe(false);
  });
});

describe('subjectsShareEvents: would one message be an event of both sources', () => {
  it("overlapping subjects do, except where one only takes the other's own dead letters (a replay source: mq probe)", () => {
    expect(subjectsShareEvents('orders.>', 'orders.paid')).toBe(true);
    expect(subjectsShareEvents('orders.paid', 'orders.*')).toBe(true);
    expect(subjectsShareEvents('orders.>', 'orders.paid.dlq')).toBe(false);
    expect(subjectsShareEvents('orders.paid.dlq', 'orders.>')).toBe(false);
    expect(subjectsShareEvents('orders.>', 'orders.*.dlq')).toBe(false);
    expect(subjectsShareEvents('>', 'orders.paid.dlq')).toBe(false);
    // Two replay sources on one dead-letter subject would both take it.
    expect(subjectsShareEvents('orders.paid.dlq', 'orders.paid.dlq')).toBe(true);
    expect(subjectsShareEvents('orders.paid', 'refunds.paid')).toBe(false);
  });
});

const ordersSource = () => NatsSource.parse({ key: 'orders', broker: 'nats', stream: 'ORDERS', subject: 'orders.*', mapping: { id: 'id', type: { const: 'order.paid' }, userId: 'user' } });

/** A consumer's deps for a test that stores nothing and says nothing. */
const quietDeps = () => ({
  servers: [],
  sink: { ingest: () => Promise.reject(new Error('not used')) },
  propertiesCapBytes: 65_536,
  batchBytes: 5 * 1024 * 1024,
  bodyCapBytes: 5 * 1024 * 1024,
  metrics: new SourceMetrics(new Registry()),
  log: { warn: () => undefined },
  eventsRetentionDays: 90,
});

/** A consumer that connects nowhere: its dead-lettering is called directly, with a fake JetStream client and message. */
function consumer() {
  const c = new NatsConsumer(ordersSource(), quietDeps());
  return c as unknown as {
    delivery(js: JetStreamClient, msg: JsMsg, settled: () => void, repairDeadLetters?: () => Promise<void>): Delivery;
    deadLetterHeaders(reason: string, original: MsgHdrs | undefined): MsgHdrs;
  };
}

function message(original?: MsgHdrs) {
  return {
    subject: 'orders.paid',
    seq: 7,
    data: new TextEncoder().encode('{\n  "a": x\n}'),
    headers: original,
    info: { stream: 'ORDERS', redeliveryCount: 1 },
    nak: jest.fn(),
    ackAck: jest.fn(async () => true),
  };
}

describe('NatsConsumer dead letters', () => {
  it('publishes a reason that quotes the message\'s line breaks on one line, and acknowledges the message (it was NAKed for ever)', async () => {
    const published: Array<{ subject: string; headers: MsgHdrs }> = [];
    const js = { publish: jest.fn(async (subject: string, _data: Uint8Array, opts: { headers: MsgHdrs }) => void published.push({ subject, headers: opts.headers })) };
    const msg = message();
    const d = consumer().delivery(js as unknown as JetStreamClient, msg as unknown as JsMsg, () => undefined);
    await d.deadLetter(`the message is not JSON (Unexpected token 'x', "{\n "a": x\n}" is not valid JSON)`);
    expect(js.publish).toHaveBeenCalledTimes(1);
    expect(published[0].subject).toBe('orders.paid.dlq');
    expect(published[0].headers.get('Kairos-Reason')).toBe(`the message is not JSON (Unexpected token 'x', "{  "a": x }" is not valid JSON)`);
    expect(msg.ackAck).toHaveBeenCalled();
    expect(msg.nak).not.toHaveBeenCalled();
  });

  it("dead-letters a message whose headers nats.js cannot read (a header name with a space), with Kairos's own headers and a note instead of the publisher's, and acknowledges it (review-60-sources, finding 1)", async () => {
    const published: Array<{ subject: string; data: Uint8Array; headers: MsgHdrs }> = [];
    const js = { publish: jest.fn(async (subject: string, data: Uint8Array, opts: { headers: MsgHdrs }) => void published.push({ subject, data, headers: opts.headers })) };
    // As nats.js's JsMsg: the headers are decoded when first read, and a key outside ASCII 33-126 throws BAD_HEADER.
    const msg = Object.defineProperty(message(), 'headers', {
      get: () => {
        throw new NatsError("' ' is not a valid character for a header key", ErrorCode.BadHeader);
      },
    });
    const settled = jest.fn();
    await consumer().delivery(js as unknown as JetStreamClient, msg as unknown as JsMsg, settled).deadLetter('the message is not JSON');
    expect(js.publish).toHaveBeenCalledTimes(1);
    expect(published[0].subject).toBe('orders.paid.dlq');
    expect(new TextDecoder().decode(published[0].data)).toBe('{\n  "a": x\n}');
    expect(Object.fromEntries(published[0].headers.keys().map((k) => [k, published[0].headers.get(k)]))).toEqual({
      'Kairos-Reason': 'the message is not JSON',
      'Kairos-Source': 'orders',
      'Kairos-Headers-Omitted': "the message's headers could not be read (' ' is not a valid character for a header key)",
    });
    expect({ ackAck: msg.ackAck.mock.calls.length, nak: msg.nak.mock.calls.length, settled: settled.mock.calls.length }).toEqual({ ackAck: 1, nak: 0, settled: 1 });
  });

  it('puts <subject>.dlq back in the stream once when a dead letter went to no stream (503), and sends it again before taking the message back (review-60-sources, finding 2)', async () => {
    let dlqInStream = false;
    const js = {
      publish: jest.fn(async () => {
        if (!dlqInStream) throw NatsError.errorForCode(ErrorCode.NoResponders);
      }),
    };
    const repair = jest.fn(async () => void (dlqInStream = true));
    const msg = message();
    await consumer().delivery(js as unknown as JetStreamClient, msg as unknown as JsMsg, () => undefined, repair).deadLetter('the message is not JSON');
    expect({ publishes: js.publish.mock.calls.length, repairs: repair.mock.calls.length, ackAck: msg.ackAck.mock.calls.length, nak: msg.nak.mock.calls.length }).toEqual({ publishes: 2, repairs: 1, ackAck: 1, nak: 0 });

    // A repair that fails (the subject could not be added): the message is taken back, to be tried later, with the repair's why.
    const stuck = { publish: jest.fn(async () => Promise.reject(NatsError.errorForCode(ErrorCode.NoResponders))) };
    const refused = jest.fn(async () => Promise.reject(new Error('stream ORDERS does not hold orders.*.dlq, where dead letters go, and it could not be added')));
    const held = message();
    await expect(consumer().delivery(stuck as unknown as JetStreamClient, held as unknown as JsMsg, () => undefined, refused).deadLetter('bad')).rejects.toThrow(/could not be added/);
    expect({ repairs: refused.mock.calls.length, ackAck: held.ackAck.mock.calls.length, nak: held.nak.mock.calls.length }).toEqual({ repairs: 1, ackAck: 0, nak: 1 });

    // Any other failure (a full stream) is no missing subject: no repair, taken back at once.
    const full = { publish: jest.fn(async () => Promise.reject(new Error('maximum messages exceeded'))) };
    const untouched = jest.fn(async () => undefined);
    await expect(consumer().delivery(full as unknown as JetStreamClient, message() as unknown as JsMsg, () => undefined, untouched).deadLetter('bad')).rejects.toThrow(/maximum messages/);
    expect({ publishes: full.publish.mock.calls.length, repairs: untouched.mock.calls.length }).toEqual({ publishes: 1, repairs: 0 });
  });

  it('reads headers nats.js refuses as unreadable, with why, instead of throwing (review-60-sources, finding 1)', () => {
    expect(
      readHeaders({
        get headers(): MsgHdrs {
          throw new NatsError("'ö' is not a valid character for a header key", ErrorCode.BadHeader);
        },
      }),
    ).toEqual({ unreadable: "'ö' is not a valid character for a header key" });
    const h = headers();
    h.set('X-Trace', 't');
    expect(readHeaders({ headers: h })).toEqual({ headers: h });
    expect(readHeaders({ headers: undefined as unknown as MsgHdrs })).toEqual({ headers: undefined });
  });

  it("leaves out the publisher's headers JetStream acts on (a wrong last sequence, a TTL, a rollup) and keeps the others", () => {
    const original = headers();
    original.set('Nats-Expected-Last-Sequence', '5');
    original.set('Nats-Expected-Last-Subject-Sequence', '4');
    original.set('Nats-TTL', '1m');
    original.set('Nats-Rollup', 'sub');
    original.set('Nats-Msg-Id', 'm-1');
    original.set('Nats-Stream-Source', 'ORIGIN 3 orders.paid');
    original.set('Nats-Schedule', '@every 1m');
    original.set('X-Trace', 't');
    original.append('X-Trace', 'u');
    original.set('Nats-Subject', 'orders.paid');
    const h = consumer().deadLetterHeaders('bad', original);
    expect(h.keys().sort()).toEqual(['Kairos-Reason', 'Kairos-Source', 'Nats-Subject', 'X-Trace']);
    expect(h.values('X-Trace')).toEqual(['t', 'u']);
    expect(h.get('Kairos-Source')).toBe('orders');
  });
});

describe('NatsConsumer: what shows a dead letter that cannot be published, and a stopped consumer (review-62-mq, finding 3)', () => {
  it('counts a dead letter that could not be published, and says so in lastError: JetStream holds its message, outside the lag and kairos_source_unacknowledged', async () => {
    const metrics = new SourceMetrics(new Registry());
    const c = new NatsConsumer(ordersSource(), { ...quietDeps(), metrics });
    const inside = c as unknown as { delivery(js: JetStreamClient, msg: JsMsg, settled: () => void): Delivery };
    const full = { publish: jest.fn(async () => Promise.reject(new Error('maximum messages exceeded'))) };
    const settled = jest.fn();
    const msg = message();
    await expect(inside.delivery(full as unknown as JetStreamClient, msg as unknown as JsMsg, settled).deadLetter('bad')).rejects.toThrow(/maximum messages/);
    expect({ nak: msg.nak.mock.calls.length, ackAck: msg.ackAck.mock.calls.length, settled: settled.mock.calls.length }).toEqual({ nak: 1, ackAck: 0, settled: 1 });
    expect((await metrics.deadLetterFailures.get()).values).toEqual([{ labels: { source: 'orders' }, value: 1 }]);
    expect(c.lastError).toMatch(/^1 dead letter\(s\) could not be published since \S+ \(the latest, to orders\.paid\.dlq: maximum messages exceeded\); their messages are not acknowledged, and come back to be tried again later$/);
    await expect(inside.delivery(full as unknown as JetStreamClient, message() as unknown as JsMsg, () => undefined).deadLetter('bad')).rejects.toThrow();
    expect((await metrics.deadLetterFailures.get()).values[0].value).toBe(2);
    expect(c.lastError).toMatch(/^2 dead letter\(s\) could not be published since /);
    // One goes through: the trouble is over.
    const room = { publish: jest.fn(async () => undefined) };
    await inside.delivery(room as unknown as JetStreamClient, message() as unknown as JsMsg, () => undefined).deadLetter('bad');
    expect(c.lastError).toBeNull();
  });

  it('shows no lag once stopped, not the last one read, which would hold still for good', async () => {
    const metrics = new SourceMetrics(new Registry());
    // What the session before read.
    metrics.lag.set({ source: 'orders' }, 42);
    const c = new NatsConsumer(ordersSource(), { ...quietDeps(), metrics, servers: ['127.0.0.1:1'], connect: () => Promise.reject(new Error('connection refused')) });
    c.start();
    await c.stop();
    expect((await metrics.lag.get()).values).toEqual([]);
  });
});

describe('NatsConsumer deliveries on a connection closed for good', () => {
  it('hands back and keeps alive without throwing when nats.js refuses (CONNECTION_CLOSED), and counts the message as no longer held', () => {
    const closed = () => {
      throw new Error('CONNECTION_CLOSED');
    };
    const msg = { ...message(), nak: jest.fn(closed), working: jest.fn(closed) };
    const settled = jest.fn();
    const d = consumer().delivery({} as JetStreamClient, msg as unknown as JsMsg, settled);
    expect(() => d.keepAlive?.()).not.toThrow();
    expect(() => d.release?.()).not.toThrow();
    expect([msg.working.mock.calls.length, msg.nak.mock.calls.length, settled.mock.calls.length]).toEqual([1, 1, 1]);
  });
});

describe('the replay window: what a stream Kairos creates keeps, and where a new durable starts (review-52, finding 1)', () => {
  const DAY_MS = 86_400_000;

  it('is the events window (RETENTION_EVENTS_DAYS), and none while events are kept for ever (0)', () => {
    expect(replayWindowMs(90)).toBe(90 * DAY_MS);
    expect(replayWindowMs(1)).toBe(DAY_MS);
    expect(replayWindowMs(0)).toBeUndefined();
  });

  it('gives a created stream a max_age of the window, and a duplicate window no longer than it', () => {
    expect(createdStreamLimits(90 * DAY_MS)).toEqual({ max_age: nanos(90 * DAY_MS), duplicate_window: nanos(120_000) });
    expect(createdStreamLimits(60_000)).toEqual({ max_age: nanos(60_000), duplicate_window: nanos(60_000) });
    expect(createdStreamLimits(undefined)).toEqual({ max_age: 0, duplicate_window: nanos(120_000) });
  });

  it('starts a new durable no further back than the window, at the beginning without one', () => {
    const now = new Date('2026-03-01T00:00:00.000Z');
    expect(newDurableStart(90 * DAY_MS, now).deliver_policy).toBe(DeliverPolicy.StartTime);
    expect(newDurableStart(undefined, now)).toEqual({ deliver_policy: DeliverPolicy.All });
  });

  it('starts a new durable at least a day (one retention pass) and some clock skew inside the window, so a backlog stored through the next pass is not new again (review-52-diff, finding 4)', () => {
    const now = new Date('2026-03-01T00:00:00.000Z');
    const start = Date.parse(newDurableStart(90 * DAY_MS, now).opt_start_time!);
    expect(start - (now.getTime() - 90 * DAY_MS)).toBeGreaterThan(DAY_MS);
    expect(start - (now.getTime() - 90 * DAY_MS)).toBe(NEW_DURABLE_MARGIN_MS);
    // A window no longer than the margin leaves no backlog safe to take: what is published from the durable's creation on.
    expect(newDurableStart(DAY_MS, now)).toEqual({ deliver_policy: DeliverPolicy.New });
    expect(newDurableStart(3_000, now, 1_000)).toEqual({ deliver_policy: DeliverPolicy.StartTime, opt_start_time: '2026-02-28T23:59:58.000Z' });
  });
});

describe('keepAliveEveryMs: how often a held message is marked in progress (review-52-diff, finding 2)', () => {
  it('a third of the ack wait on a durable without a backoff list', () => {
    expect(keepAliveEveryMs({ ack_wait: nanos(30_000) })).toBe(10_000);
    expect(keepAliveEveryMs({ ack_wait: nanos(30_000), backoff: [] })).toBe(10_000);
  });

  it("a third of the shortest backoff entry on a durable with one, whatever the ack wait says: the server redelivers by the entries", () => {
    expect(keepAliveEveryMs({ ack_wait: nanos(30_000), backoff: [nanos(5_000), nanos(3_000), nanos(30_000)] })).toBe(1_000);
    expect(keepAliveEveryMs({ ack_wait: nanos(1_000), backoff: [nanos(1_000), nanos(2_000)] })).toBe(333);
  });

  it('never more often than every 250 ms, and the 30 s ack wait when the server reports none', () => {
    expect(keepAliveEveryMs({ ack_wait: nanos(100), backoff: [nanos(100)] })).toBe(250);
    expect(keepAliveEveryMs({})).toBe(10_000);
  });
});

describe('isJetStreamDirective: which headers of a published message JetStream acts on', () => {
  it("the server's publish headers, in any case; not its republish headers, nor anyone else's", () => {
    for (const name of [
      'Nats-Msg-Id',
      'Nats-Expected-Stream',
      'Nats-Expected-Last-Sequence',
      'Nats-Expected-Last-Subject-Sequence',
      'Nats-Expected-Last-Subject-Sequence-Subject',
      'Nats-Expected-Last-Msg-Id',
      'Nats-TTL',
      'nats-ttl',
      'Nats-Rollup',
      'Nats-Incr',
      'Nats-Marker-Reason',
      'Nats-Stream-Source',
      'Nats-Required-Api-Level',
      'Nats-Batch-Id',
      'Nats-Batch-Sequence',
      'Nats-Batch-Commit',
      'Nats-Schedule',
      'Nats-Schedule-TTL',
      'Nats-Schedule-Target',
      'Nats-Scheduler',
      'Nats-Schedule-Next',
    ]) {
      expect([name, isJetStreamDirective(name)]).toEqual([name, true]);
    }
    for (const name of ['Nats-Stream', 'Nats-Sequence', 'Nats-Subject', 'Nats-Time-Stamp', 'Nats-Counter-Sources', 'X-Trace', 'Kairos-Reason', 'Msg-Id']) {
      expect([name, isJetStreamDirective(name)]).toEqual([name, false]);
    }
  });
});

describe('natsLoginProblem: a refused login said as such, with the variables to check (NATS auth)', () => {
  const violation = new NatsError("'Authorization Violation'", ErrorCode.AuthorizationViolation);
  it('names the variables of the login Kairos presented, never its secret', () => {
    const user = loadConfig({ NATS_USER: 'kairos', NATS_PASSWORD: 'hunter2-secret' }).brokers.natsLogin;
    expect(natsLoginProblem(violation, user)).toBe("cannot log in to NATS (Authorization Violation): the server refused the login of NATS_USER and NATS_PASSWORD: check it against the server's authorization");
    const token = loadConfig({ NATS_TOKEN: 'tok3n-secret' }).brokers.natsLogin;
    expect(natsLoginProblem(NatsError.errorForCode(ErrorCode.AuthenticationExpired), token)).toBe(
      "cannot log in to NATS (AUTHENTICATION_EXPIRED): the server refused the login of NATS_TOKEN: check it against the server's authorization",
    );
  });

  it('says how to set one when Kairos has none', () => {
    expect(natsLoginProblem(violation, loadConfig({}).brokers.natsLogin)).toBe(
      'cannot log in to NATS (Authorization Violation): the server requires a login and Kairos has none (no NATS_USER, NATS_TOKEN or NATS_CREDS_FILE is set): set NATS_USER and NATS_PASSWORD, NATS_TOKEN or NATS_CREDS_FILE',
    );
  });

  it('leaves any other error to be said in its own words', () => {
    const none = loadConfig({}).brokers.natsLogin;
    expect(natsLoginProblem(new NatsError('CONNECTION_REFUSED', ErrorCode.ConnectionRefused), none)).toBeNull();
    expect(natsLoginProblem(new NatsError("Permissions Violation for Publish to \"x\"", ErrorCode.PermissionsViolation), none)).toBeNull();
    expect(natsLoginProblem(new Error('Authorization Violation'), none)).toBeNull();
  });
});

describe('NatsConsumer: redialling a dropped connection (review-56-sources, finding 5)', () => {
  it('hands nats.js its own redial waits, the first 250 ms', async () => {
    const dialled: ConnectionOptions[] = [];
    const c = new NatsConsumer(ordersSource(), {
      ...quietDeps(),
      servers: ['127.0.0.1:1'],
      connect: (options) => {
        dialled.push(options ?? {});
        return Promise.reject(new Error('connection refused'));
      },
    });
    c.start();
    for (let i = 0; i < 100 && dialled.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await c.stop();
    const { reconnect, maxReconnectAttempts, reconnectDelayHandler } = dialled[0];
    expect({ reconnect, maxReconnectAttempts }).toEqual({ reconnect: true, maxReconnectAttempts: -1 });
    // nats.js asks on every turn of its dial loop, several times a dial: with no dial made, the wait stays.
    expect(Array.from({ length: 5 }, () => reconnectDelayHandler!())).toEqual([250, 250, 250, 250, 250]);
  });

  it('grows with the dials nats.js makes (a reconnecting status each), not with its asks, up to 5 s (review-56-diff-helpers 1)', () => {
    const redial = new RedialWaits();
    const waits: number[] = [];
    for (let dial = 0; dial < 10; dial++) {
      redial.dialled();
      const asked = [redial.wait(), redial.wait(), redial.wait()];
      expect(new Set(asked).size).toBe(1);
      waits.push(asked[0]);
    }
    expect(waits[0]).toBeLessThanOrEqual(250);
    for (let i = 1; i < 5; i++) expect(waits[i]).toBeGreaterThan(waits[i - 1]);
    expect(Math.min(...waits.slice(5))).toBeGreaterThanOrEqual(4_000);
    expect(Math.max(...waits)).toBeLessThanOrEqual(5_000);
    redial.reset();
    expect(redial.wait()).toBe(250);
  });
});
