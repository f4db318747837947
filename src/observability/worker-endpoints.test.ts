import dns from 'node:dns';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Worker } from '@temporalio/worker';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { startWorkerEndpoints } from './worker-endpoints';

/** grpc.health.v1.HealthCheckResponse.ServingStatus: SERVING, and NOT_SERVING (a frontend shutting down). */
const SERVING = 1;
const NOT_SERVING = 2;

/**
 * The parts /readyz asks: the worker's state, Temporal through the worker's own connection, PostgreSQL.
 * `temporalAnswers`: true, Temporal answers SERVING; 'not-serving', it answers NOT_SERVING; false, the call fails.
 */
function parts(temporalAnswers: boolean | 'not-serving', postgresAnswers = true) {
  const worker = {
    getState: () => 'RUNNING',
    connection: {
      healthService: {
        check: async () =>
          temporalAnswers === false ? Promise.reject(new Error('14 UNAVAILABLE: connection refused')) : { status: temporalAnswers === 'not-serving' ? NOT_SERVING : SERVING },
      },
      withDeadline: async <T>(_deadline: number, fn: () => Promise<T>) => fn(),
    },
  } as unknown as Worker;
  const dataSource = { query: async () => (postgresAnswers ? [{}] : Promise.reject(new Error('ECONNREFUSED'))) } as unknown as DataSource;
  return { worker: () => worker, dataSource };
}

/** As the SDK's native connection behaves while it reconnects: its health check waits instead of failing. */
function neverAnswering(deadlines: number[] = []): Worker {
  const withDeadline = <T>(deadline: number, fn: () => Promise<T>) => (deadlines.push(deadline), fn());
  return { getState: () => 'RUNNING', connection: { healthService: { check: () => new Promise(() => undefined) }, withDeadline } } as unknown as Worker;
}

/** A port nothing listens on (bound, then let go). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function readyz(temporalAnswers: boolean | 'not-serving' | 'never', temporalAddress?: string, readyzCheckMs?: number) {
  const given = temporalAnswers === 'never' ? { ...parts(true), worker: () => neverAnswering() } : parts(temporalAnswers);
  const endpoints = await startWorkerEndpoints({ host: '127.0.0.1', port: 0, registry: new Registry(), temporalAddress, readyzCheckMs, ...given });
  try {
    const res = await fetch(`${endpoints.url.replace('localhost', '127.0.0.1')}/readyz`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  } finally {
    await endpoints.close();
  }
}

describe("the worker's /readyz", () => {
  it('is ready while the worker runs and both Temporal and PostgreSQL answer', async () => {
    expect(await readyz(true)).toEqual({
      status: 200,
      body: { status: 'ready', worker: 'RUNNING', checks: { postgres: expect.objectContaining({ ok: true }), temporal: expect.objectContaining({ ok: true }) } },
    });
  });

  it('is not ready while Temporal does not answer, though the worker still says RUNNING (its pollers retry)', async () => {
    expect(await readyz(false)).toEqual({
      status: 503,
      body: { status: 'not-ready', worker: 'RUNNING', checks: { postgres: expect.objectContaining({ ok: true }), temporal: expect.objectContaining({ ok: false, reason: 'unreachable' }) } },
    });
  });

  it('is not ready while Temporal answers NOT_SERVING (a frontend shutting down asks its clients to leave it)', async () => {
    expect(await readyz('not-serving')).toEqual({
      status: 503,
      body: { status: 'not-ready', worker: 'RUNNING', checks: { postgres: expect.objectContaining({ ok: true }), temporal: expect.objectContaining({ ok: false, reason: 'unreachable' }) } },
    });
  });

  it('is not ready, and asks Temporal nothing, while the worker is not created yet (the endpoints listen first)', async () => {
    const endpoints = await startWorkerEndpoints({ host: '127.0.0.1', port: 0, registry: new Registry(), ...parts(true), worker: () => undefined });
    try {
      const res = await fetch(`${endpoints.url.replace('localhost', '127.0.0.1')}/readyz`);
      expect({ status: res.status, body: await res.json() }).toEqual({
        status: 503,
        body: { status: 'not-ready', worker: 'STARTING', checks: { postgres: expect.objectContaining({ ok: true }) } },
      });
    } finally {
      await endpoints.close();
    }
  });

  it('says unreachable, not timeout, when nothing listens where Temporal should be, though the connection only waits', async () => {
    // A check time no pause of a loaded machine reaches: the refused connection decides, and without it the check waits
    // the whole 10 s and says timeout.
    const res = await readyz('never', `127.0.0.1:${await closedPort()}`, 10_000);
    expect(res).toMatchObject({ status: 503, body: { checks: { temporal: { ok: false, reason: 'unreachable' } } } });
  }, 20_000);

  it("asks Temporal with a deadline, so a probe leaves no call pending on the worker's connection while Temporal is away", async () => {
    const deadlines: number[] = [];
    const asked = Date.now();
    const endpoints = await startWorkerEndpoints({ host: '127.0.0.1', port: 0, registry: new Registry(), ...parts(true), worker: () => neverAnswering(deadlines) });
    try {
      const res = await fetch(`${endpoints.url.replace('localhost', '127.0.0.1')}/readyz`);
      expect(res.status).toBe(503);
    } finally {
      await endpoints.close();
    }
    expect(deadlines).toHaveLength(1);
    expect(deadlines[0]! - asked).toBeLessThan(60_000);
  });

  it('says timeout when something listens there but Temporal does not answer in time', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const res = await readyz('never', `127.0.0.1:${(silent.address() as AddressInfo).port}`);
      expect(res).toMatchObject({ status: 503, body: { checks: { temporal: { ok: false, reason: 'timeout' } } } });
    } finally {
      // Closes once the probe's connection is gone: the probe closes it itself when it opens.
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe("the worker's endpoints while the process boots (review-61, finding 1)", () => {
  it('answer /livez 200 and /readyz 503 with what the boot does before there is any PostgreSQL, then check it once attached', async () => {
    let phase: 'search-attributes' | 'migrating' | 'starting' = 'search-attributes';
    const given = parts(true);
    let worker: Worker | undefined;
    const endpoints = await startWorkerEndpoints({ host: '127.0.0.1', port: 0, registry: new Registry(), worker: () => worker, booting: () => phase });
    const get = async (path: string) => {
      const res = await fetch(`${endpoints.url.replace('localhost', '127.0.0.1')}${path}`);
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as unknown };
    };
    try {
      expect(await get('/livez')).toEqual({ status: 200, retryAfter: null, body: { status: 'ok' } });
      expect(await get('/readyz')).toEqual({ status: 503, retryAfter: '5', body: { status: 'not-ready', worker: 'STARTING', reason: 'search-attributes', checks: {} } });
      phase = 'migrating';
      expect(await get('/readyz')).toEqual({ status: 503, retryAfter: '5', body: { status: 'not-ready', worker: 'STARTING', reason: 'migrating', checks: {} } });
      expect((await get('/livez')).status).toBe(200);
      // Migrated: PostgreSQL is checked, and the worker is still being created.
      phase = 'starting';
      endpoints.attach({ dataSource: given.dataSource });
      expect(await get('/readyz')).toEqual({
        status: 503,
        retryAfter: '5',
        body: { status: 'not-ready', worker: 'STARTING', reason: 'starting', checks: { postgres: expect.objectContaining({ ok: true }) } },
      });
      worker = given.worker();
      expect(await get('/readyz')).toEqual({
        status: 200,
        retryAfter: null,
        body: { status: 'ready', worker: 'RUNNING', checks: { postgres: expect.objectContaining({ ok: true }), temporal: expect.objectContaining({ ok: true }) } },
      });
    } finally {
      await endpoints.close();
    }
  });
});

describe("the worker's /metrics", () => {
  async function scrape(metricsToken: string | undefined, authorization?: string) {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'kairos-worker' });
    const endpoints = await startWorkerEndpoints({ host: '127.0.0.1', port: 0, registry, metricsToken, ...parts(true) });
    try {
      const res = await fetch(`${endpoints.url.replace('localhost', '127.0.0.1')}/metrics`, { headers: authorization ? { authorization } : {} });
      return { status: res.status, challenge: res.headers.get('www-authenticate'), body: await res.text() };
    } finally {
      await endpoints.close();
    }
  }

  it('is open without METRICS_TOKEN, and with it answers only its bearer token', async () => {
    const token = 'scrape-4f9c2a7e51d08b36';
    expect((await scrape(undefined)).status).toBe(200);
    const refused = await scrape(token);
    expect({ status: refused.status, challenge: refused.challenge }).toEqual({ status: 401, challenge: 'Bearer' });
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'unauthorized', message: expect.stringContaining('METRICS_TOKEN') } });
    expect((await scrape(token, 'Bearer not-the-token-at-all')).status).toBe(401);
    expect((await scrape(token, `Bearer ${token}`)).status).toBe(200);
  });
});

/** Review 62, finding 4: the worker's port binds HOST=localhost as the API's does. */
describe("the worker's endpoints with HOST=localhost", () => {
  /** /livez at each address: 200, or the connection's error code; `closed`: whether a connection is taken there after close. */
  async function livezAt(host: string, addresses: string[]) {
    const endpoints = await startWorkerEndpoints({ host, port: 0, registry: new Registry(), ...parts(true) });
    const port = new URL(endpoints.url).port;
    const ask = async () => {
      const answers: Record<string, number | string> = {};
      for (const address of addresses) {
        const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}/livez`;
        answers[address] = await fetch(url).then(
          (res) => res.status,
          (err: Error) => String((err.cause as NodeJS.ErrnoException | undefined)?.code ?? err),
        );
      }
      return answers;
    };
    let open: Record<string, number | string>;
    try {
      open = await ask();
    } finally {
      await endpoints.close();
    }
    // A new connection each (fetch would try its pooled one first, which close has ended).
    const connects = (address: string) =>
      new Promise<string>((resolve) => {
        const socket = net.connect(Number(port), address, () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
      });
    const closed: Record<string, string> = {};
    for (const address of addresses) closed[address] = await connects(address);
    return { open, closed };
  }

  it("answers on each of the name's addresses (127.0.0.1 too when ::1 comes first), and lets go of them all on close", async () => {
    // As glibc with IPv6 on answers; Node's own listen takes the first address only.
    const lookup = jest.spyOn(dns.promises, 'lookup').mockResolvedValue([
      { address: '::1', family: 6 },
      { address: '127.0.0.1', family: 4 },
    ] as never);
    try {
      expect(await livezAt('localhost', ['127.0.0.1', '::1'])).toEqual({ open: { '127.0.0.1': 200, '::1': 200 }, closed: { '127.0.0.1': 'ECONNREFUSED', '::1': 'ECONNREFUSED' } });
    } finally {
      lookup.mockRestore();
    }
  });

  it("answers on every address this machine's localhost has (nothing to check where it has one)", async () => {
    const addresses = (await dns.promises.lookup('localhost', { all: true })).map((a) => a.address);
    expect((await livezAt('localhost', addresses)).open).toEqual(Object.fromEntries(addresses.map((a) => [a, 200])));
  });

  it('binds any other HOST as given, and only there', async () => {
    const lookup = jest.spyOn(dns.promises, 'lookup');
    try {
      expect((await livezAt('127.0.0.1', ['127.0.0.1', '::1'])).open).toEqual({ '127.0.0.1': 200, '::1': 'ECONNREFUSED' });
      expect(lookup).not.toHaveBeenCalled();
    } finally {
      lookup.mockRestore();
    }
  });
});
