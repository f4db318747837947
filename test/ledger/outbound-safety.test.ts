import dnsPromises from 'node:dns/promises';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { Webhook } from 'standardwebhooks';
import { verifySignature } from '../../src/activities/messages/message-activities';
import { startLedger, type LedgerFixture } from './ledger-fixture';
import { startReceiver } from './webhook-receiver';

const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as ApplicationFailure,
  );

/** A server on 127.0.0.1 whose handler the test writes; counts the requests it saw. */
async function rawServer(handler: http.RequestListener) {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = '/') => `http://127.0.0.1:${port}${path}`,
    requests: () => requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('outbound calls: allowed hosts, refused addresses, no redirects, bounded answers', () => {
  let f: LedgerFixture;
  beforeAll(async () => {
    f = await startLedger();
  });
  afterAll(async () => f?.stop());

  const row = async (table: 'messages' | 'webhook_calls', key: string) =>
    (await f.ds.query(`select status, attempts, last_status, last_error from ${table} where idempotency_key = $1`, [key]))[0];

  it('posts to a listed loopback receiver and refuses one on a second loopback address, before connecting', async () => {
    const allowed = await startReceiver(() => 200, '127.0.0.1');
    const other = await startReceiver(() => 200, '127.0.0.2');
    try {
      const activities = f.messages({ webhookSecret: 'hook-secret', webhookAllowedHosts: [{ host: '127.0.0.1' }] });
      expect(await activities.callWebhook({ idempotencyKey: 'ok-1', url: allowed.url(), body: { a: 1 } })).toEqual({ status: 'sent', attempts: 1, httpStatus: 200 });
      const err = await failureOf(activities.callWebhook({ idempotencyKey: 'refused-1', url: other.url(), body: { a: 1 } }));
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect({ type: err.type, nonRetryable: err.nonRetryable }).toEqual({ type: 'DestinationRefused', nonRetryable: true });
      expect(err.message).toContain('refused: 127.0.0.2 resolves to a loopback address; list it in WEBHOOK_ALLOWED_HOSTS');
      expect(other.received).toHaveLength(0);
      expect(await row('webhook_calls', 'refused-1')).toMatchObject({ status: 'rejected', attempts: 1, last_status: null, last_error: expect.stringMatching(/^refused:/) });

      // The refusal text is the same whether or not anything listens on the port.
      const closedPort = `http://127.0.0.2:${other.port === 1 ? 2 : 1}/hook`;
      const closed = await failureOf(activities.callWebhook({ idempotencyKey: 'refused-2', url: closedPort, body: {} }));
      expect(closed.message.replace('refused-2', 'K').replace(closedPort, 'U')).toBe(err.message.replace('refused-1', 'K').replace(other.url(), 'U'));

      // host:port allows that port only.
      const byPort = f.messages({ webhookAllowedHosts: [{ host: '127.0.0.2', port: other.port }] });
      expect(await byPort.callWebhook({ idempotencyKey: 'ok-2', url: other.url(), body: {} })).toMatchObject({ status: 'sent' });
      expect((await failureOf(byPort.callWebhook({ idempotencyKey: 'refused-3', url: allowed.url(), body: {} }))).type).toBe('DestinationRefused');
    } finally {
      await allowed.close();
      await other.close();
    }
  });

  it('refuses a name that resolves to loopback (localhost) unless the name is listed', async () => {
    const receiver = await startReceiver();
    try {
      const url = `http://localhost:${receiver.port}/hook`;
      const ipListed = f.messages({ webhookAllowedHosts: [{ host: '127.0.0.1' }] });
      expect((await failureOf(ipListed.callWebhook({ idempotencyKey: 'name-1', url, body: {} }))).message).toMatch(/refused: localhost resolves to a loopback address/);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });

  describe('with a DNS answer the test controls', () => {
    afterEach(() => jest.restoreAllMocks());
    // A listed host is resolved by the system lookup, any other name by the DNS servers (c-ares): both answer alike.
    const answer = (...addresses: string[]) => {
      const family = (f: 4 | 6) => (async () => addresses.filter((a) => (a.includes(':') ? 6 : 4) === f)) as never;
      jest.spyOn(dnsPromises.Resolver.prototype, 'resolve4').mockImplementation(family(4));
      jest.spyOn(dnsPromises.Resolver.prototype, 'resolve6').mockImplementation(family(6));
      return jest.spyOn(dnsPromises, 'lookup').mockImplementation((async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))) as never);
    };

    it('refuses a name when any one of its addresses is not public', async () => {
      answer('93.184.215.14', '127.0.0.2');
      const err = await failureOf(f.messages({}).callWebhook({ idempotencyKey: 'dns-mixed', url: 'http://mixed.kairos.test/hook', body: {} }));
      expect({ type: err.type, message: err.message }).toEqual({ type: 'DestinationRefused', message: expect.stringContaining('refused: mixed.kairos.test resolves to a loopback address') });
      // An AAAA record is checked as strictly as an A record.
      answer('93.184.215.14', 'fd00::1');
      const v6 = await failureOf(f.messages({}).callWebhook({ idempotencyKey: 'dns-mixed-6', url: 'http://mixed6.kairos.test/hook', body: {} }));
      expect({ type: v6.type, message: v6.message }).toEqual({ type: 'DestinationRefused', message: expect.stringContaining('refused: mixed6.kairos.test resolves to a uniqueLocal address') });
    });

    it('connects to the address it checked, with no second lookup (the system resolver does not know the name)', async () => {
      const receiver = await startReceiver();
      try {
        const lookup = answer('127.0.0.1');
        const activities = f.messages({ webhookAllowedHosts: [{ host: 'pinned.kairos.test' }] });
        expect(await activities.callWebhook({ idempotencyKey: 'dns-pinned', url: `http://pinned.kairos.test:${receiver.port}/hook`, body: {} })).toMatchObject({ status: 'sent' });
        expect(lookup).toHaveBeenCalledTimes(1);
        expect(receiver.received[0].headers.host).toBe(`pinned.kairos.test:${receiver.port}`);
      } finally {
        await receiver.close();
      }
    });

    it("gives up on a name whose DNS never answers within the call's timeout, to try again later", async () => {
      const never = (() => new Promise(() => undefined)) as never;
      jest.spyOn(dnsPromises.Resolver.prototype, 'resolve4').mockImplementation(never);
      jest.spyOn(dnsPromises.Resolver.prototype, 'resolve6').mockImplementation(never);
      jest.spyOn(dnsPromises, 'lookup').mockImplementation(never);
      const activities = f.messages({ webhookTimeoutMs: 300 });
      const err = await failureOf(activities.callWebhook({ idempotencyKey: 'dns-silent', url: 'http://silent.kairos.test/hook', body: {} }));
      expect({ type: err.type, nonRetryable: err.nonRetryable, message: err.message }).toEqual({
        type: 'DeliveryFailed',
        nonRetryable: false,
        message: expect.stringContaining('could not resolve silent.kairos.test within 300 ms'),
      });
      expect(await row('webhook_calls', 'dns-silent')).toMatchObject({ status: 'retrying', attempts: 1 });
    });
  });

  it('settles an attempt answered 101 Switching Protocols (Node closes such a socket and says nothing): retried, not hung', async () => {
    const upgrading = net.createServer((socket) => {
      socket.once('data', () => socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n'));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((r) => upgrading.listen(0, '127.0.0.1', r));
    try {
      const activities = f.messages({ webhookTimeoutMs: 30_000, webhookAllowedHosts: [{ host: '127.0.0.1' }] });
      const url = `http://127.0.0.1:${(upgrading.address() as AddressInfo).port}/hook`;
      // Without the fix this never settles, and jest's own timeout fails the test.
      const err = await failureOf(activities.callWebhook({ idempotencyKey: 'upgrade-1', url, body: {} }));
      expect({ type: err.type, nonRetryable: err.nonRetryable, message: err.message }).toEqual({ type: 'DeliveryFailed', nonRetryable: false, message: expect.stringContaining('HTTP 101') });
      expect(await row('webhook_calls', 'upgrade-1')).toMatchObject({ status: 'retrying', last_status: 101 });
    } finally {
      await new Promise<void>((r) => upgrading.close(() => r()));
    }
  });

  it("a channel's gateway is exempt for its messages only: a campaign webhook step to it is still refused unless listed", async () => {
    // 127.0.0.2 stands for a gateway on a private network, configured in MESSAGE_WEBHOOKS and not in WEBHOOK_ALLOWED_HOSTS.
    const gateway = await startReceiver(() => 200, '127.0.0.2');
    try {
      const activities = f.messages({ webhookSecret: 'hook-secret', messageWebhooks: { push: { url: gateway.url('/push'), secret: 'push-secret' } }, webhookAllowedHosts: [] });
      const input = { idempotencyKey: 'msg-gateway', campaignKey: 'c', userId: 'u', channel: 'push', template: 't' };
      expect(await activities.sendMessage(input)).toEqual({ status: 'sent', attempts: 1, httpStatus: 200 });
      expect(gateway.received.map((r) => r.path)).toEqual(['/push']);

      // The same host and port, written by a campaign: bound by WEBHOOK_ALLOWED_HOSTS, refused before connecting.
      for (const [key, path] of [['hook-to-gateway', '/admin/other'], ['hook-to-gateway-path', '/push']] as const) {
        const err = await failureOf(activities.callWebhook({ idempotencyKey: key, url: gateway.url(path), body: { userId: 'victim' } }));
        expect({ type: err.type, nonRetryable: err.nonRetryable }).toEqual({ type: 'DestinationRefused', nonRetryable: true });
        expect(err.message).toContain('refused: 127.0.0.2 resolves to a loopback address; list it in WEBHOOK_ALLOWED_HOSTS');
      }
      expect(gateway.received).toHaveLength(1);

      // Listed, the host is open to webhook steps as before.
      const listed = f.messages({ messageWebhooks: { push: { url: gateway.url('/push'), secret: 'push-secret' } }, webhookAllowedHosts: [{ host: '127.0.0.2' }] });
      expect(await listed.callWebhook({ idempotencyKey: 'hook-listed', url: gateway.url('/other'), body: {} })).toMatchObject({ status: 'sent' });
      expect(await listed.sendMessage({ ...input, idempotencyKey: 'msg-listed' })).toMatchObject({ status: 'sent' });
    } finally {
      await gateway.close();
    }
  });

  it('does not follow a redirect: a 3xx is refused for good and the target never sees the body', async () => {
    const target = await startReceiver();
    const redirecting = await rawServer((_req, res) => res.writeHead(307, { location: target.url('/elsewhere') }).end());
    try {
      const activities = f.messages({ webhookAllowedHosts: [{ host: '127.0.0.1' }] });
      const err = await failureOf(activities.callWebhook({ idempotencyKey: 'redirect-1', url: redirecting.url('/hook'), body: { secret: 1 } }));
      expect({ type: err.type, nonRetryable: err.nonRetryable }).toEqual({ type: 'DeliveryRejected', nonRetryable: true });
      expect(err.message).toContain('HTTP 307');
      expect(redirecting.requests()).toBe(1);
      expect(target.received).toHaveLength(0);
    } finally {
      await redirecting.close();
      await target.close();
    }
  });

  it('does not read the body of an answer: an endless 200 counts as sent, and the connection is dropped early', async () => {
    const chunk = Buffer.alloc(16 * 1024, 'x');
    let written = 0;
    const endless = await rawServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain' });
      const pump = () => {
        for (let more = true; more && !res.destroyed; written += chunk.length) more = res.write(chunk);
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    try {
      const activities = f.messages({ webhookTimeoutMs: 5_000, webhookAllowedHosts: [{ host: '127.0.0.1' }] });
      expect(await activities.callWebhook({ idempotencyKey: 'endless-1', url: endless.url('/hook'), body: {} })).toEqual({ status: 'sent', attempts: 1, httpStatus: 200 });
      // What the server got out before the client hung up: socket buffers, not a stream read to the end.
      expect(written).toBeLessThan(16 * 1024 * 1024);
    } finally {
      await endless.close();
    }
  });

  it('counts a 200 whose body stalls or breaks off as sent, once: the status line is the answer', async () => {
    const stalling = await rawServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-length': '100' });
      res.write('x');
    });
    const breaking = await rawServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-length': '100' });
      res.write('x', () => res.socket?.destroy());
    });
    try {
      // A timeout past the test's own (120 s): an attempt that waited for the stalled body would hold the test until jest
      // fails it, so its answer coming at all shows the status line decided, however loaded the machine.
      const activities = f.messages({ webhookTimeoutMs: 300_000, webhookAllowedHosts: [{ host: '127.0.0.1' }] });
      expect(await activities.callWebhook({ idempotencyKey: 'stall-1', url: stalling.url('/hook'), body: {} })).toEqual({ status: 'sent', attempts: 1, httpStatus: 200 });
      expect(await activities.callWebhook({ idempotencyKey: 'break-1', url: breaking.url('/hook'), body: {} })).toEqual({ status: 'sent', attempts: 1, httpStatus: 200 });
      // A second attempt (as Temporal would make after a failure) finds it sent and does not POST again.
      expect(await activities.callWebhook({ idempotencyKey: 'stall-1', url: stalling.url('/hook'), body: {} })).toMatchObject({ status: 'sent' });
      expect([stalling.requests(), breaking.requests()]).toEqual([1, 1]);
      expect(await row('webhook_calls', 'stall-1')).toMatchObject({ status: 'sent', attempts: 1, last_status: 200 });
    } finally {
      await stalling.close();
      await breaking.close();
    }
  });

  it('delivers to a user id such as 用户1: an ASCII Idempotency-Key that decodes to the key', async () => {
    const receiver = await startReceiver();
    try {
      const activities = f.messages({ webhookSecret: 'hook-secret', messageWebhooks: { push: { url: receiver.url('/push'), secret: 'push-secret' } }, webhookAllowedHosts: [{ host: '127.0.0.1' }] });
      const message = { idempotencyKey: 'spend:用户1:1:1:msg', campaignKey: 'spend', userId: '用户1', channel: 'push', template: 'thanks' };
      expect(await activities.sendMessage(message)).toEqual({ status: 'sent', attempts: 1, httpStatus: 200 });
      const hook = { idempotencyKey: 'spend:用户1:1:1:call', url: receiver.url('/hook'), body: { user: '用户1' }, userId: '用户1' };
      expect(await activities.callWebhook(hook)).toEqual({ status: 'sent', attempts: 1, httpStatus: 200 });
      const [m, w] = receiver.received;
      expect(decodeURIComponent(m.headers['idempotency-key'] as string)).toBe(message.idempotencyKey);
      expect(m.headers['idempotency-key']).toBe('spend:%E7%94%A8%E6%88%B71:1:1:msg');
      expect(decodeURIComponent(w.headers['idempotency-key'] as string)).toBe(hook.idempotencyKey);
      expect(JSON.parse(w.body)).toEqual({ user: '用户1' });
      expect(verifySignature(w.body, 'hook-secret', w.headers['x-kairos-signature'] as string)).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('signs per Standard Webhooks: the receiver verifies with the library, and the id stays the same across retries', async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const receiver = await startReceiver((_r, n) => (n === 1 ? 503 : 200));
    try {
      const activities = f.messages({ webhookSecret: secret, webhookAllowedHosts: [{ host: '127.0.0.1' }] });
      const input = { idempotencyKey: 'std-1', url: receiver.url(), body: { order: 'ord-9' } };
      expect((await failureOf(activities.callWebhook(input))).nonRetryable).toBe(false);
      expect(await activities.callWebhook(input)).toMatchObject({ status: 'sent', attempts: 2 });
      const [first, second] = receiver.received;
      const verifier = new Webhook(secret);
      for (const r of [first, second]) expect(verifier.verify(r.body, r.headers as Record<string, string>)).toEqual({ order: 'ord-9' });
      expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
      expect(verifySignature(second.body, secret, second.headers['x-kairos-signature'] as string)).toBe(true);
      // A replay whose timestamp is moved on no longer matches its signature.
      const replay = { ...(first.headers as Record<string, string>), 'webhook-timestamp': String(Number(first.headers['webhook-timestamp']) + 600) };
      expect(() => verifier.verify(first.body, replay)).toThrow(/No matching signature|too new/);
    } finally {
      await receiver.close();
    }
  });
});
