import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { deliveryProfile } from '../../workflows/journey/activity-profiles';
import { DELIVERY_BACKOFF, nextDeliveryDelayMs, postSigned, retryAfterMs, type PostRequest } from './post-signed';

/** A TCP server on 127.0.0.1 that reads the request and then does what `answer` says with the raw socket. */
async function rawReceiver(answer: (socket: net.Socket) => void) {
  const sockets = new Set<net.Socket>();
  let requests = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      requests += 1;
      answer(socket);
    };
    socket.on('data', onData);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests: () => requests,
    /** Sockets the server still holds open (the client hung up on the others). */
    open: () => sockets.size,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/**
 * A request timeout that no test reaches, however loaded the machine: a client
 * that waited for a body that never ends would hold its test until jest's own
 * timeout (5 s) fails it, so the answer coming at all shows the status line
 * decided, with no clock read.
 */
const NEVER_REACHED_MS = 60_000;

const request = (url: string, timeoutMs = NEVER_REACHED_MS): PostRequest => ({
  url,
  payload: '{"a":1}',
  secret: 'hook-secret',
  idempotencyKey: 'c:u:1:1:call',
  webhookId: 'msg_test',
  timeoutMs,
  allowedHosts: [{ host: '127.0.0.1' }],
});

const until = async (check: () => boolean, ms = 4_000) => {
  for (const end = Date.now() + ms; !check() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
};

describe('postSigned: the status line decides', () => {
  it('counts a 200 whose body never ends (content-length 100, one byte written) as sent, at once, and hangs up', async () => {
    const receiver = await rawReceiver((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nx'));
    try {
      expect(await postSigned(request(receiver.url))).toEqual({ ok: true, status: 200 });
      expect(receiver.requests()).toBe(1);
      await until(() => receiver.open() === 0);
      expect(receiver.open()).toBe(0);
    } finally {
      await receiver.close();
    }
  });

  it('counts a 200 whose connection breaks off after the headers as sent', async () => {
    const receiver = await rawReceiver((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nxy', () => socket.destroy());
    });
    try {
      expect(await postSigned(request(receiver.url))).toEqual({ ok: true, status: 200 });
    } finally {
      await receiver.close();
    }
  });

  it('counts a 202 with a chunked body that never ends as sent', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(202, { 'content-type': 'text/plain' });
      res.write('accepted, working on it');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      expect(await postSigned(request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`))).toEqual({ ok: true, status: 202 });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('reports a 5xx whose body never ends by its status, at once (retried), and a 4xx for good', async () => {
    const failing = await rawReceiver((socket) => socket.write('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 100\r\n\r\nx'));
    const refusing = await rawReceiver((socket) => socket.write('HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n'));
    try {
      expect(await postSigned(request(failing.url))).toEqual({ ok: false, retryable: true, status: 503, error: 'HTTP 503' });
      expect(await postSigned(request(refusing.url))).toEqual({ ok: false, retryable: false, status: 400, error: 'HTTP 400' });
    } finally {
      await failing.close();
      await refusing.close();
    }
  });

  it("counts a 200 whose head Node's strict parser refuses as sent: over 16 KiB of headers, Content-Length with Transfer-Encoding", async () => {
    const bigHead = await rawReceiver((socket) => socket.write(`HTTP/1.1 200 OK\r\nX-Filler: ${'a'.repeat(20_000)}\r\nContent-Length: 0\r\n\r\n`));
    const bothLengths = await rawReceiver((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'));
    try {
      expect(await postSigned(request(bigHead.url))).toEqual({ ok: true, status: 200 });
      expect(await postSigned(request(bothLengths.url))).toEqual({ ok: true, status: 200 });
      expect([bigHead.requests(), bothLengths.requests()]).toEqual([1, 1]);
    } finally {
      await bigHead.close();
      await bothLengths.close();
    }
  });

  it('gives one text, whatever the cause, when no status line arrives: headers that never come, a reset, a closed port', async () => {
    const silent = await rawReceiver(() => undefined);
    const resetting = await rawReceiver((socket) => socket.resetAndDestroy());
    const closed = await rawReceiver(() => undefined);
    const closedUrl = closed.url;
    await closed.close();
    try {
      const texts = await Promise.all([silent.url, resetting.url, closedUrl].map(async (url) => {
        const result = await postSigned(request(url, 300));
        expect(result).toMatchObject({ ok: false, retryable: true, status: null });
        return result.ok ? '' : result.error.replace(new URL(url).host, 'HOST');
      }));
      expect(new Set(texts)).toEqual(new Set(['no answer from HOST within 300 ms (connection failed or timed out)']));
    } finally {
      await silent.close();
      await resetting.close();
    }
  });
});

describe('postSigned: a request that cannot be made', () => {
  afterEach(() => jest.restoreAllMocks());

  it('fails the attempt as no answer, and leaves no timer behind to throw from (which would take the worker down)', async () => {
    jest.spyOn(http, 'request').mockImplementation(() => {
      throw new TypeError('invalid header');
    });
    const thrownLater: unknown[] = [];
    const onUncaught = (err: unknown) => thrownLater.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      expect(await postSigned(request('http://127.0.0.1:9/hook', 50))).toMatchObject({ ok: false, retryable: true, status: null });
      // Past the attempt's timeout: a timer armed before the request would fire now.
      await new Promise((r) => setTimeout(r, 150));
      expect(thrownLater).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});

describe("postSigned: a receiver's Retry-After", () => {
  const answering = (head: string) => rawReceiver((socket) => socket.write(`${head}\r\nContent-Length: 0\r\n\r\n`));

  it('a 429 with Retry-After: 120 asks for the next attempt in 120 s', async () => {
    const receiver = await answering('HTTP/1.1 429 Too Many Requests\r\nRetry-After: 120');
    try {
      expect(await postSigned(request(receiver.url))).toEqual({ ok: false, retryable: true, status: 429, error: 'HTTP 429', retryAfterMs: 120_000 });
    } finally {
      await receiver.close();
    }
  });

  it('a 503 with an HTTP-date asks for the time until then', async () => {
    const at = new Date(Date.now() + 600_000);
    const receiver = await answering(`HTTP/1.1 503 Service Unavailable\r\nRetry-After: ${at.toUTCString()}`);
    try {
      const result = await postSigned(request(receiver.url));
      expect(result).toMatchObject({ ok: false, retryable: true, status: 503 });
      const ms = result.ok ? 0 : (result.retryAfterMs ?? 0);
      // The date is to the second: within a couple of seconds of ten minutes.
      expect(ms).toBeGreaterThan(600_000 - 3_000);
      expect(ms).toBeLessThanOrEqual(600_000);
    } finally {
      await receiver.close();
    }
  });

  it('is ignored on other statuses, and when missing the usual backoff applies', async () => {
    const other = await answering('HTTP/1.1 500 Internal Server Error\r\nRetry-After: 120');
    const none = await answering('HTTP/1.1 429 Too Many Requests');
    try {
      expect(await postSigned(request(other.url))).toEqual({ ok: false, retryable: true, status: 500, error: 'HTTP 500' });
      expect(await postSigned(request(none.url))).toEqual({ ok: false, retryable: true, status: 429, error: 'HTTP 429' });
    } finally {
      await other.close();
      await none.close();
    }
  });

  it('reads delta-seconds and HTTP-dates, clamped to 1 s .. 1 h; anything else is no Retry-After', () => {
    const now = Date.parse('2026-10-21T07:28:00Z');
    expect(retryAfterMs(429, '120', now)).toBe(120_000);
    expect(retryAfterMs(503, ' 30 ', now)).toBe(30_000);
    expect(retryAfterMs(429, '0', now)).toBe(1_000);
    expect(retryAfterMs(429, '1800', now)).toBe(1_800_000);
    expect(retryAfterMs(429, '86400', now)).toBe(3_600_000);
    expect(retryAfterMs(429, '99999999999999999999999', now)).toBe(3_600_000);
    expect(retryAfterMs(503, 'Wed, 21 Oct 2026 07:30:00 GMT', now)).toBe(120_000);
    expect(retryAfterMs(503, 'Wednesday, 21-Oct-26 07:30:00 GMT', now)).toBe(120_000);
    expect(retryAfterMs(503, 'Wed Oct 21 07:30:00 2026', now)).toBeGreaterThan(0);
    expect(retryAfterMs(503, 'Wed, 21 Oct 2026 07:00:00 GMT', now)).toBe(1_000);
    expect(retryAfterMs(503, 'Wed, 21 Oct 2027 07:28:00 GMT', now)).toBe(3_600_000);
    for (const bad of ['', '-5', '1.5', 'soon', '2026-10-21T07:30:00Z', 'Wed, 99 Foo 2026 GMT']) expect(retryAfterMs(429, bad, now)).toBeUndefined();
    for (const status of [408, 500, 502, 504, 400]) expect(retryAfterMs(status, '120', now)).toBeUndefined();
    expect(retryAfterMs(429, undefined, now)).toBeUndefined();
  });
});

describe('nextDeliveryDelayMs: Retry-After asks for at least the usual backoff, never less', () => {
  it("spells out the delivery profile's backoff", () => {
    const ms = (d: unknown) => {
      const m = /^(\d+) (seconds|minutes)$/.exec(String(d));
      if (!m) throw new Error(`unexpected duration ${String(d)}`);
      return Number(m[1]) * (m[2] === 'seconds' ? 1_000 : 60_000);
    };
    const retry = deliveryProfile.retry;
    expect(DELIVERY_BACKOFF).toEqual({ initialMs: ms(retry?.initialInterval), coefficient: retry?.backoffCoefficient, maximumMs: ms(retry?.maximumInterval) });
  });

  it('takes the longer of Retry-After and the backoff for this attempt, at most 1 h', () => {
    expect(nextDeliveryDelayMs(1_000, 6)).toBe(64_000);
    expect(nextDeliveryDelayMs(1_000, 1)).toBe(2_000);
    expect(nextDeliveryDelayMs(1_000, 10)).toBe(300_000);
    expect(nextDeliveryDelayMs(120_000, 1)).toBe(120_000);
    expect(nextDeliveryDelayMs(120_000, 8)).toBe(256_000);
    expect(nextDeliveryDelayMs(3_600_000, 10)).toBe(3_600_000);
    expect(nextDeliveryDelayMs(1_000, 200)).toBe(300_000);
  });
});
