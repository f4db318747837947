import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { DataSource } from 'typeorm';
import { createMessageActivities, verifySignature } from '../../src/activities/messages/message-activities';
import { DELIVERY_MAX_ATTEMPTS } from '../../src/domain/machine/delivery-attempts';
import { DispatchesRepository } from '../../src/store/repositories/dispatches.repository';
import { startLedger, type LedgerFixture } from './ledger-fixture';
import { startReceiver } from './webhook-receiver';

const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as ApplicationFailure,
  );

/** The receivers of these tests are on 127.0.0.1: listed, as an operator lists a local receiver. */
const local = [{ host: '127.0.0.1' }];

/** Quiet hours (UTC) from an hour ago to an hour from now: any attempt made now is inside them. */
const quietAroundNow = () => {
  const minute = (ms: number) => Math.floor((ms % 86_400_000) / 60_000);
  const now = Date.now();
  return { fromMinute: minute(now - 3_600_000), toMinute: minute(now + 3_600_000), timezone: 'UTC' };
};

describe('sendMessage and callWebhook', () => {
  let f: LedgerFixture;
  beforeAll(async () => {
    f = await startLedger();
  });
  afterAll(async () => f?.stop());

  const row = async (table: 'messages' | 'webhook_calls', key: string) =>
    (await f.ds.query(`select status, attempts, last_status, last_error, sent_at from ${table} where idempotency_key = $1`, [key]))[0];

  it('POSTs a message signed with the channel secret, once per idempotency key', async () => {
    const receiver = await startReceiver();
    try {
      const activities = f.messages({ messageWebhooks: { push: { url: receiver.url('/push'), secret: 'push-secret' } }, webhookAllowedHosts: local });
      const input = { idempotencyKey: 'spend:u-1:1:1:msg', campaignKey: 'spend', userId: 'u-1', channel: 'push', template: 'thanks', data: { name: 'Ada', points: 120 }, causedBy: ['ord-1'] };
      expect(await activities.sendMessage(input)).toEqual({ status: 'sent', attempts: 1, httpStatus: 200 });
      expect(await activities.sendMessage(input)).toEqual({ status: 'sent', attempts: 1, httpStatus: 200 });
      expect(receiver.received).toHaveLength(1);
      const [req] = receiver.received;
      expect(req.path).toBe('/push');
      expect(req.headers['idempotency-key']).toBe(input.idempotencyKey);
      expect(verifySignature(req.body, 'push-secret', req.headers['x-kairos-signature'] as string)).toBe(true);
      expect(verifySignature(req.body, 'another-secret', req.headers['x-kairos-signature'] as string)).toBe(false);
      expect(verifySignature(req.body.replace('120', '121'), 'push-secret', req.headers['x-kairos-signature'] as string)).toBe(false);
      expect(JSON.parse(req.body)).toEqual({ ...input });
      expect(await row('messages', input.idempotencyKey)).toMatchObject({ status: 'sent', attempts: 1, last_status: 200, sent_at: expect.any(Date) });
    } finally {
      await receiver.close();
    }
  });

  it("sends nothing inside the campaign's quiet hours, whatever the attempt: it is tried again when they end", async () => {
    const receiver = await startReceiver();
    try {
      const activities = f.messages({ messageWebhooks: { push: { url: receiver.url('/push'), secret: 'push-secret' } }, webhookAllowedHosts: local });
      const minute = (ms: number) => Math.floor((ms % 86_400_000) / 60_000);
      const now = Date.now();
      // Quiet from an hour ago to an hour from now (UTC, minutes after midnight).
      const quietNow = { fromMinute: minute(now - 3_600_000), toMinute: minute(now + 3_600_000), timezone: 'UTC' };
      const input = { idempotencyKey: 'k-quiet', campaignKey: 'spend', userId: 'u-1', channel: 'push', template: 'hello', quietHours: quietNow };
      const err = await failureOf(activities.sendMessage(input));
      expect({ type: err.type, nonRetryable: err.nonRetryable, message: err.message }).toEqual({
        type: 'QuietHours',
        nonRetryable: false,
        message: expect.stringMatching(/^message k-quiet: quiet hours until \S+Z; it is sent when they end$/),
      });
      // The next attempt comes when they end: within the hour left (to the minute), not at the usual backoff.
      const delayMs = Number(err.nextRetryDelay);
      expect(delayMs).toBeGreaterThan(3_600_000 - 120_000);
      expect(delayMs).toBeLessThanOrEqual(3_600_000);
      expect(receiver.received).toHaveLength(0);
      expect(await row('messages', 'k-quiet')).toBeUndefined();
      // The last attempt has no next one (the journey holds the step): it does not promise that it is sent when they end.
      const last = await failureOf(new MockActivityEnvironment({ attempt: DELIVERY_MAX_ATTEMPTS }).run(activities.sendMessage, input));
      expect({ type: last.type, message: last.message }).toEqual({
        type: 'QuietHours',
        message: expect.stringMatching(
          /^message k-quiet: quiet hours until \S+Z, and this was its last attempt \(attempt 10 of 10\): the step is held; Retry sends it once they end \(a retry pressed inside them waits for them\)$/,
        ),
      });
      // An attempt before the last one still says it is sent when they end.
      const ninth = await failureOf(new MockActivityEnvironment({ attempt: DELIVERY_MAX_ATTEMPTS - 1 }).run(activities.sendMessage, input));
      expect(ninth.message).toMatch(/; it is sent when they end$/);
      // Outside them (the same window twelve hours on), it goes out; the receiver never sees the window.
      const later = { ...quietNow, fromMinute: (quietNow.fromMinute + 720) % 1440, toMinute: (quietNow.toMinute + 720) % 1440 };
      expect(await activities.sendMessage({ ...input, quietHours: later })).toMatchObject({ status: 'sent' });
      expect(JSON.parse(receiver.received[0].body)).not.toHaveProperty('quietHours');
    } finally {
      await receiver.close();
    }
  });

  it('a retry inside quiet hours of a message already sent (or stored, without a webhook) answers at once: it sends nothing', async () => {
    const receiver = await startReceiver();
    try {
      const activities = f.messages({ messageWebhooks: { push: { url: receiver.url('/push'), secret: 'push-secret' } }, webhookAllowedHosts: local });
      const input = { idempotencyKey: 'k-sent-quiet', campaignKey: 'spend', userId: 'u-1', channel: 'push', template: 'hello' };
      expect(await activities.sendMessage(input)).toEqual({ status: 'sent', attempts: 1, httpStatus: 200 });
      // Its completion was lost (a deploy, a continue-as-new): the retry comes inside quiet hours.
      expect(await activities.sendMessage({ ...input, quietHours: quietAroundNow() })).toEqual({ status: 'sent', attempts: 1, httpStatus: 200 });
      expect(receiver.received).toHaveLength(1);
      const stored = { ...input, idempotencyKey: 'k-stored-quiet', channel: 'sms' };
      expect(await activities.sendMessage(stored)).toEqual({ status: 'stored', attempts: 0, httpStatus: null });
      expect(await activities.sendMessage({ ...stored, quietHours: quietAroundNow() })).toEqual({ status: 'stored', attempts: 0, httpStatus: null });
      // One still to be POSTed waits for the window's end as before.
      const pending = { ...input, idempotencyKey: 'k-failed-quiet' };
      const refusing = f.messages({ messageWebhooks: { push: { url: 'ftp://127.0.0.1/push', secret: 'push-secret' } }, webhookAllowedHosts: local });
      expect((await failureOf(refusing.sendMessage(pending))).type).toBe('DestinationRefused');
      expect((await failureOf(activities.sendMessage({ ...pending, quietHours: quietAroundNow() }))).type).toBe('QuietHours');
    } finally {
      await receiver.close();
    }
  });

  it("a failed message names its channel and its webhook's host, never the configured URL's path or query (its token)", async () => {
    const receiver = await startReceiver(() => 503);
    try {
      const url = receiver.url('/send/T0KEN-IN-PATH?api_key=s3cret');
      const activities = f.messages({ messageWebhooks: { push: { url, secret: 'push-secret' } }, webhookAllowedHosts: local });
      const err = await failureOf(activities.sendMessage({ idempotencyKey: 'k-token-url', campaignKey: 'spend', userId: 'u-1', channel: 'push', template: 'hello' }));
      expect({ type: err.type, message: err.message }).toEqual({
        type: 'DeliveryFailed',
        message: `message k-token-url to the push webhook (127.0.0.1:${receiver.port}): HTTP 503 (attempt 1)`,
      });
      expect(JSON.stringify(await row('messages', 'k-token-url'))).not.toMatch(/s3cret|T0KEN/);
      expect(receiver.received[0].path).toBe('/send/T0KEN-IN-PATH?api_key=s3cret');
    } finally {
      await receiver.close();
    }
  });

  it("an attempt that outlived its claim cannot overwrite another attempt's outcome, nor end its claim", async () => {
    const dispatches = new DispatchesRepository(f.ds);
    const put = (key: string) => dispatches.putWebhookCall({ idempotencyKey: key, campaignKey: null, userId: null, url: 'https://hooks.example/x', causedBy: [], payload: '{}' });
    const lapse = () => new Promise((r) => setTimeout(r, 60));
    const failure = { status: 'retrying' as const, httpStatus: 503, error: 'HTTP 503' };

    // A claims, stalls past its lease; B claims, POSTs, records sent; then A records its 503.
    const sent = await put('hook-late-503');
    const a = await dispatches.claim('webhook_calls', sent.id, 50);
    await lapse();
    const b = await dispatches.claim('webhook_calls', sent.id, 50_000);
    expect(b.claimed).toBe(true);
    await dispatches.recordAttempt('webhook_calls', sent.id, { status: 'sent', httpStatus: 200, error: null }, (b as { token: string }).token);
    await dispatches.recordAttempt('webhook_calls', sent.id, failure, (a as { token: string }).token);
    expect(await row('webhook_calls', 'hook-late-503')).toMatchObject({ status: 'sent', attempts: 1, last_status: 200, last_error: null });
    expect((await dispatches.claim('webhook_calls', sent.id, 50_000)).claimed).toBe(false);

    // A's late 503 while B is still sending: B's claim stays, so a third attempt does not POST beside B.
    const sending = await put('hook-late-503-in-flight');
    const a2 = await dispatches.claim('webhook_calls', sending.id, 50);
    await lapse();
    expect((await dispatches.claim('webhook_calls', sending.id, 50_000)).claimed).toBe(true);
    await dispatches.recordAttempt('webhook_calls', sending.id, failure, (a2 as { token: string }).token);
    expect(await dispatches.claim('webhook_calls', sending.id, 50_000)).toMatchObject({ claimed: false, row: { status: 'pending', attempts: 0 } });

    // Nor does a worker without a webhook for the channel mark a sent message stored.
    const message = await dispatches.putMessage({ idempotencyKey: 'k-sent-then-stored', campaignKey: 'spend', userId: 'u-1', channel: 'sms', template: 'hello', data: {}, causedBy: [], payload: '{}' });
    const c = await dispatches.claim('messages', message.id, 50_000);
    await dispatches.recordAttempt('messages', message.id, { status: 'sent', httpStatus: 200, error: null }, (c as { token: string }).token);
    expect(await dispatches.markStored(message.id)).toMatchObject({ status: 'sent', attempts: 1, lastStatus: 200 });
  });

  it('an attempt whose claim lapsed during its POST, and whose receiver then answered 503, finds the delivery sent by the attempt that took over', async () => {
    // The first POST arriving: the first attempt has claimed its row and is mid-POST (it hangs there until answered).
    let firstArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (firstArrived = resolve));
    const receiver = await startReceiver((_req, n) => {
      if (n > 1) return 200;
      firstArrived();
      return 'hang';
    });
    try {
      // A timeout the hanging POST does not reach however loaded the machine: it ends when the test answers it.
      const activities = f.messages({ webhookAllowedHosts: local, webhookTimeoutMs: 60_000 });
      const input = { idempotencyKey: 'hook-stalled', url: receiver.url(), body: { order: 'ord-8' } };
      const stalled = activities.callWebhook(input);
      await arrived;
      // The first attempt stalls past its lease (a frozen container); the retry claims the row and delivers.
      await f.ds.query(`update webhook_calls set claimed_until = now() - interval '1 second' where idempotency_key = 'hook-stalled'`);
      expect(await activities.callWebhook(input)).toEqual({ status: 'sent', attempts: 1, httpStatus: 200 });
      receiver.answerHanging(503);
      expect(await stalled).toEqual({ status: 'sent', attempts: 1, httpStatus: 200 });
      expect(await row('webhook_calls', 'hook-stalled')).toMatchObject({ status: 'sent', attempts: 1, last_status: 200, last_error: null });
    } finally {
      await receiver.close();
    }
  });

  it('keeps messages of a channel without a webhook in the outbox', async () => {
    const activities = f.messages({});
    const input = { idempotencyKey: 'k-sms', campaignKey: 'spend', userId: 'u-1', channel: 'sms', template: 'hello', data: { a: 1 } };
    expect(await activities.sendMessage(input)).toEqual({ status: 'stored', attempts: 0, httpStatus: null });
    const [stored] = await f.ds.query(`select channel, template, data, status from messages where idempotency_key = 'k-sms'`);
    expect(stored).toEqual({ channel: 'sms', template: 'hello', data: { a: 1 }, status: 'stored' });
  });

  it('a 4xx answer is refused for good (non-retryable); 5xx, 408 and 429 are retried', async () => {
    const statuses = new Map<string, number>([['/400', 400], ['/404', 404], ['/500', 500], ['/503', 503], ['/408', 408], ['/429', 429]]);
    const receiver = await startReceiver((req) => statuses.get(req.path) ?? 200);
    try {
      const activities = f.messages({ webhookSecret: 's', webhookAllowedHosts: local });
      for (const [path, status] of statuses) {
        const err = await failureOf(activities.callWebhook({ idempotencyKey: `hook${path}`, url: receiver.url(path), body: { n: 1 } }));
        expect(err).toBeInstanceOf(ApplicationFailure);
        const retryable = status >= 500 || status === 408 || status === 429;
        expect({ status, nonRetryable: err.nonRetryable, type: err.type }).toEqual({ status, nonRetryable: !retryable, type: retryable ? 'DeliveryFailed' : 'DeliveryRejected' });
        expect(await row('webhook_calls', `hook${path}`)).toMatchObject({ status: retryable ? 'retrying' : 'rejected', attempts: 1, last_status: status });
      }
    } finally {
      await receiver.close();
    }
  });

  it("a 429 or 503 with Retry-After sets the next attempt's delay (clamped to 1 s .. 1 h, at least the usual backoff); without one, the usual backoff", async () => {
    const answers = new Map<string, [number, string | undefined]>([
      ['/429', [429, '120']],
      ['/503', [503, '86400']],
      ['/500', [500, '120']],
      ['/bare', [429, undefined]],
    ]);
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const [status, retryAfter] = answers.get(req.url ?? '') ?? [200, undefined];
        res.writeHead(status, retryAfter === undefined ? {} : { 'retry-after': retryAfter }).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const delayOf = async (path: string, send: 'message' | 'webhook') => {
        const url = `http://127.0.0.1:${port}${path}`;
        const err =
          send === 'message'
            ? await failureOf(
                f.messages({ messageWebhooks: { sms: { url, secret: 's' } }, webhookAllowedHosts: local }).sendMessage({ idempotencyKey: `k-ra${path}`, campaignKey: 'spend', userId: 'u-1', channel: 'sms', template: 'hello' }),
              )
            : await failureOf(f.messages({ webhookSecret: 's', webhookAllowedHosts: local }).callWebhook({ idempotencyKey: `hook-ra${path}`, url, body: { n: 1 } }));
        expect({ type: err.type, nonRetryable: err.nonRetryable }).toEqual({ type: 'DeliveryFailed', nonRetryable: false });
        return err.nextRetryDelay === undefined ? undefined : Number(err.nextRetryDelay);
      };
      expect(await delayOf('/429', 'message')).toBe(120_000);
      expect(await delayOf('/503', 'message')).toBe(3_600_000);
      expect(await delayOf('/500', 'message')).toBeUndefined();
      expect(await delayOf('/bare', 'message')).toBeUndefined();
      expect(await delayOf('/429', 'webhook')).toBe(120_000);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("a short Retry-After never shortens the usual backoff: on attempt 6 a 503 with Retry-After: 1 waits 64 s, and the ten attempts still last about 14 minutes", async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(503, { 'retry-after': req.url === '/zero' ? '0' : '1' }).end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const activities = f.messages({ messageWebhooks: { sms: { url: `http://127.0.0.1:${port}/one`, secret: 's' } }, webhookSecret: 's', webhookAllowedHosts: local });
      // Run as Temporal runs an attempt, with its number in the activity's context.
      const delayAt = async (attempt: number, key: string, send: 'message' | 'webhook' = 'message', path = '/one') => {
        const run = new MockActivityEnvironment({ attempt });
        const err = await failureOf(
          send === 'message'
            ? run.run(activities.sendMessage, { idempotencyKey: key, campaignKey: 'spend', userId: 'u-1', channel: 'sms', template: 'hello' })
            : run.run(activities.callWebhook, { idempotencyKey: key, url: `http://127.0.0.1:${port}${path}`, body: { n: 1 } }),
        );
        expect({ type: err.type, nonRetryable: err.nonRetryable }).toEqual({ type: 'DeliveryFailed', nonRetryable: false });
        return Number(err.nextRetryDelay);
      };
      expect(await delayAt(6, 'k-ra-short-6')).toBe(64_000);
      expect(await delayAt(1, 'k-ra-short-1')).toBe(2_000);
      expect(await delayAt(9, 'k-ra-short-9')).toBe(300_000);
      expect(await delayAt(3, 'hook-ra-zero-3', 'webhook', '/zero')).toBe(8_000);
      // Nine waits between ten attempts: 2+4+…+256 s, then capped at 5 min: about 14 minutes, as without Retry-After.
      let total = 0;
      for (let attempt = 1; attempt <= 9; attempt++) total += await delayAt(attempt, `hook-ra-total-${attempt}`, 'webhook');
      expect(total).toBe(2_000 * (2 ** 8 - 1) + 300_000);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('a failed delivery succeeds on a retry with the same signed bytes, and the row records both attempts', async () => {
    const receiver = await startReceiver((_req, n) => (n === 1 ? 502 : 204));
    try {
      const activities = f.messages({ webhookSecret: 'hook-secret', webhookAllowedHosts: local });
      const input = { idempotencyKey: 'hook-retry', url: receiver.url(), body: { order: 'ord-1', total: 25.5 }, campaignKey: 'spend', userId: 'u-1' };
      expect((await failureOf(activities.callWebhook(input))).nonRetryable).toBe(false);
      expect(await activities.callWebhook(input)).toEqual({ status: 'sent', attempts: 2, httpStatus: 204 });
      const [first, second] = receiver.received;
      expect(second.body).toBe(first.body);
      expect(JSON.parse(second.body)).toEqual(input.body);
      expect(verifySignature(second.body, 'hook-secret', second.headers['x-kairos-signature'] as string)).toBe(true);
      expect(await row('webhook_calls', 'hook-retry')).toMatchObject({ status: 'sent', attempts: 2, last_status: 204, last_error: null });
    } finally {
      await receiver.close();
    }
  });

  it('a delivery the receiver took is recorded as sent even when the first writes of it fail: no second POST', async () => {
    const receiver = await startReceiver();
    try {
      // PostgreSQL drops the connection four times in a row (some 3 s: a failover), as the attempt records the 2xx.
      let failures = 4;
      const flaky = Object.create(f.ds) as DataSource;
      flaky.query = (async (sql: string, params?: unknown[]) => {
        if (failures > 0 && /set attempts = attempts \+ 1/.test(sql) && (params as unknown[])[1] === 'sent') {
          failures--;
          throw new Error('Connection terminated unexpectedly');
        }
        return f.ds.query(sql, params);
      }) as DataSource['query'];
      const activities = createMessageActivities({ dataSource: flaky, webhookAllowedHosts: local });
      const input = { idempotencyKey: 'hook-record-fails', url: receiver.url(), body: { order: 'ord-9' } };
      expect(await activities.callWebhook(input)).toEqual({ status: 'sent', attempts: 1, httpStatus: 200 });
      expect(await activities.callWebhook(input)).toEqual({ status: 'sent', attempts: 1, httpStatus: 200 });
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it("a 2xx whose head Node's strict parser refuses (20 KB of headers) is sent, and a retry does not POST again", async () => {
    let requests = 0;
    const receiver = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => {
        requests += 1;
        socket.write(`HTTP/1.1 200 OK\r\nSet-Cookie: session=${'a'.repeat(20_000)}\r\nContent-Length: 0\r\n\r\n`);
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const activities = f.messages({ webhookAllowedHosts: local });
      const input = { idempotencyKey: 'hook-big-head', url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, body: { order: 'ord-3' } };
      // Called twice, as Temporal would retry a failed attempt.
      const attempts = [await activities.callWebhook(input).catch((e: ApplicationFailure) => e.type), await activities.callWebhook(input).catch((e: ApplicationFailure) => e.type)];
      expect(attempts).toEqual([{ status: 'sent', attempts: 1, httpStatus: 200 }, { status: 'sent', attempts: 1, httpStatus: 200 }]);
      expect(requests).toBe(1);
      expect(await row('webhook_calls', 'hook-big-head')).toMatchObject({ status: 'sent', attempts: 1, last_status: 200 });
    } finally {
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  });

  it('sends one delivery at a time per key: an attempt while another is sending waits for it, then finds it sent', async () => {
    const receiver = await startReceiver(() => 'hang');
    try {
      const activities = f.messages({ webhookAllowedHosts: local });
      const input = { idempotencyKey: 'hook-overlap', url: receiver.url(), body: { order: 'ord-7' } };
      // The first attempt is in its POST (a journey's run continued as new meanwhile and started the step again).
      const first = activities.callWebhook(input);
      for (let i = 0; i < 100 && receiver.received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      const second = await failureOf(activities.callWebhook(input));
      expect(second.type).toBe('DeliveryInFlight');
      expect(second.nonRetryable).toBe(false);
      expect(second.nextRetryDelay).toBeDefined();
      expect(second.message).toMatch(/: another attempt is sending it; this one looks again when its claim ends$/);
      // The last attempt (the delivery profile's tenth) is not looked at again: the step is held, and it says so.
      const last = await failureOf(new MockActivityEnvironment({ attempt: DELIVERY_MAX_ATTEMPTS }).run(activities.callWebhook, input));
      expect(last.type).toBe('DeliveryInFlight');
      expect(last.message).toMatch(/^webhook hook-overlap: another attempt is sending it, and this was the last attempt \(attempt 10 of 10\): the step is held; Retry it once that attempt's claim ends \(in \d+ s\) to see its outcome/);
      receiver.answerHanging(200);
      expect(await first).toEqual({ status: 'sent', attempts: 1, httpStatus: 200 });
      expect(await activities.callWebhook(input)).toEqual({ status: 'sent', attempts: 1, httpStatus: 200 });
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('a receiver that does not answer in time is a retryable failure after the timeout', async () => {
    const receiver = await startReceiver(() => 'hang');
    try {
      const activities = f.messages({ webhookTimeoutMs: 300, webhookAllowedHosts: local });
      const started = Date.now();
      const err = await failureOf(activities.callWebhook({ idempotencyKey: 'hook-slow', url: receiver.url(), body: {} }));
      const elapsed = Date.now() - started;
      expect(err.nonRetryable).toBe(false);
      expect(err.message).toContain(`no answer from 127.0.0.1:${receiver.port} within 300 ms`);
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(3000);
      expect(await row('webhook_calls', 'hook-slow')).toMatchObject({ status: 'retrying', attempts: 1, last_status: null });
    } finally {
      await receiver.close();
    }
  });

  it('an unreachable receiver is retryable; a URL that is not http(s) is not', async () => {
    const receiver = await startReceiver();
    const url = receiver.url();
    await receiver.close();
    const activities = f.messages({ webhookAllowedHosts: local });
    expect((await failureOf(activities.callWebhook({ idempotencyKey: 'hook-down', url, body: {} }))).nonRetryable).toBe(false);
    expect((await failureOf(activities.callWebhook({ idempotencyKey: 'hook-ftp', url: 'ftp://example.com/x', body: {} }))).nonRetryable).toBe(true);
  });

  it('a closed port and a port that never answers give the same error text', async () => {
    const hanging = await startReceiver(() => 'hang');
    const closed = await startReceiver();
    await closed.close();
    try {
      const activities = f.messages({ webhookTimeoutMs: 300, webhookAllowedHosts: local });
      const texts = await Promise.all([
        failureOf(activities.callWebhook({ idempotencyKey: 'probe-open', url: hanging.url(), body: {} })),
        failureOf(activities.callWebhook({ idempotencyKey: 'probe-closed', url: closed.url(), body: {} })),
      ]);
      const [open, shut] = texts.map((e) => e.message.replace(/probe-\w+/, 'KEY').replace(/:\d+/g, ':PORT'));
      expect(shut).toBe(open);
      expect(await row('webhook_calls', 'probe-closed')).toMatchObject({ last_error: (await row('webhook_calls', 'probe-open')).last_error.replace(String(hanging.port), String(closed.port)) });
    } finally {
      await hanging.close();
    }
  });

  it('webhooks go unsigned when no secret is configured', async () => {
    const receiver = await startReceiver();
    try {
      await f.messages({ webhookAllowedHosts: local }).callWebhook({ idempotencyKey: 'hook-unsigned', url: receiver.url(), body: { a: 1 } });
      expect(receiver.received[0].headers['x-kairos-signature']).toBeUndefined();
      expect(receiver.received[0].headers['webhook-signature']).toBeUndefined();
      expect(receiver.received[0].headers['webhook-id']).toMatch(/^msg_[A-Za-z0-9_-]{32}$/);
      expect(receiver.received[0].headers['idempotency-key']).toBe('hook-unsigned');
    } finally {
      await receiver.close();
    }
  });
});
