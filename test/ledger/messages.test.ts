import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { createMessageActivities, verifySignature } from '../../src/activities/messages/message-activities';
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
      // Outside them (the same window twelve hours on), it goes out; the receiver never sees the window.
      const later = { ...quietNow, fromMinute: (quietNow.fromMinute + 720) % 1440, toMinute: (quietNow.toMinute + 720) % 1440 };
      expect(await activities.sendMessage({ ...input, quietHours: later })).toMatchObject({ status: 'sent' });
      expect(JSON.parse(receiver.received[0].body)).not.toHaveProperty('quietHours');
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
