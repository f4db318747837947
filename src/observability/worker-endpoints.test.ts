import type { Worker } from '@temporalio/worker';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { startWorkerEndpoints } from './worker-endpoints';

/** The parts /readyz asks: the worker's state, Temporal through the worker's own connection, PostgreSQL. */
function parts(temporalAnswers: boolean, postgresAnswers = true) {
  const worker = {
    getState: () => 'RUNNING',
    connection: { healthService: { check: async () => (temporalAnswers ? {} : Promise.reject(new Error('14 UNAVAILABLE: connection refused'))) } },
  } as unknown as Worker;
  const dataSource = { query: async () => (postgresAnswers ? [{}] : Promise.reject(new Error('ECONNREFUSED'))) } as unknown as DataSource;
  return { worker, dataSource };
}

async function readyz(temporalAnswers: boolean) {
  const endpoints = await startWorkerEndpoints({ host: '127.0.0.1', port: 0, registry: new Registry(), ...parts(temporalAnswers) });
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
});
