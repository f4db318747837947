import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client as PgClient } from 'pg';
import type { DataSource } from 'typeorm';
import { createApp } from '../src/api/create-app';
import { composeKairos, type Kairos } from '../src/composition/compose-kairos';
import { ChangeListener } from '../src/api/routing/change-listener';
import { openDataSource } from '../src/store/data-source';
import { CampaignsRepository } from '../src/store/repositories/campaigns.repository';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';
import { TcpProxy } from './support/tcp-proxy';

const welcome = { key: 'welcome', name: 'Welcome', entry: { on: 'order.completed' }, initial: 'welcomed', states: { welcomed: { end: true } } };

/**
 * An API instance whose PostgreSQL goes away (through a proxy the test cuts):
 * it answers 503 with Retry-After, never a 500; once PostgreSQL is back it
 * serves again and its LISTEN connection is back too.
 */
describe('PostgreSQL down: 503 with Retry-After, and recovery', () => {
  let sut: SystemUnderTest;
  let proxy: TcpProxy;
  let ds: DataSource;
  let parts: Kairos;
  let app: NestFastifyApplication;
  let baseUrl: string;

  beforeAll(async () => {
    sut = await startSystemUnderTest();
    const target = new URL(sut.db.url);
    proxy = new TcpProxy(Number(target.port || 5432), target.hostname);
    await proxy.start();
    const proxied = new URL(sut.db.url);
    proxied.port = String(proxy.port);
    ds = await openDataSource({ url: proxied.toString() });
    parts = await composeKairos(sut.config, { dataSource: ds });
    app = await createApp(
      { config: sut.config, kairos: parts, runtime: { temporalAddress: parts.temporal.address } },
      { logger: false },
    );
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });
  afterAll(async () => {
    await app?.close();
    await parts?.close();
    await ds?.destroy().catch(() => undefined);
    await proxy?.stop();
    await sut?.stop();
  });

  const call = async (method: string, path: string, role: 'ingest' | 'support' | 'operator', body?: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${sut.keys[role]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { error?: { code: string } } };
  };

  it('answers 503 with Retry-After while PostgreSQL is unreachable, then serves again', async () => {
    expect((await call('POST', '/v1/events', 'ingest', { id: 'e-0', type: 'order.completed', userId: 'u-0' })).status).toBe(202);
    const listener = app.get(ChangeListener);
    expect(listener.listening).toBe(true);
    const connectionsBefore = listener.connections;

    await proxy.stop();
    for (const [method, path, role, body] of [
      ['POST', '/v1/events', 'ingest', { id: 'e-1', type: 'order.completed', userId: 'u-1' }],
      ['PUT', '/v1/users/u-1', 'ingest', { attributes: { level: 1 } }],
      ['GET', '/v1/users/u-1', 'support', undefined],
      ['GET', '/v1/campaigns', 'operator', undefined],
      ['POST', '/v1/campaigns/welcome/activate', 'operator', {}],
    ] as const) {
      const res = await call(method, path, role, body);
      expect({ path, status: res.status, retryAfter: res.retryAfter, code: res.body.error?.code }).toEqual({
        path,
        status: 503,
        retryAfter: '5',
        code: 'postgres_unavailable',
      });
    }
    await eventually(async () => (listener.listening ? undefined : true), 20_000);

    // Probes: alive, not ready (PostgreSQL), and no driver message on the unauthenticated endpoints.
    expect((await fetch(`${baseUrl}/livez`)).status).toBe(200);
    const ready = await fetch(`${baseUrl}/readyz`);
    expect({ status: ready.status, retryAfter: ready.headers.get('retry-after') }).toEqual({ status: 503, retryAfter: '5' });
    const readyBody = (await ready.json()) as { checks: { postgres: { ok: boolean; reason?: string }; temporal: { ok: boolean } } };
    expect(readyBody.checks.postgres).toMatchObject({ ok: false, reason: expect.stringMatching(/^(timeout|unreachable)$/) });
    expect(readyBody.checks.temporal.ok).toBe(true);
    const health = await fetch(`${baseUrl}/health`);
    expect(health.status).toBe(503);
    const healthText = await health.text();
    expect(healthText).not.toMatch(/ECONNREFUSED|ECONNRESET|127\.0\.0\.1|terminated|Connection/i);

    await proxy.start();
    const back = await eventually(async () => {
      const res = await call('POST', '/v1/events', 'ingest', { id: 'e-1', type: 'order.completed', userId: 'u-1' });
      return res.status === 202 ? res : undefined;
    }, 20_000);
    expect(back.body).toMatchObject({ accepted: 1 });
    expect((await fetch(`${baseUrl}/readyz`)).status).toBe(200);
    // The LISTEN connection came back on its own, and hears changes made through another instance.
    await eventually(async () => (listener.listening && listener.connections > connectionsBefore ? true : undefined), 20_000);
    await new CampaignsRepository(sut.db.dataSource).saveActive('welcome', welcome);
    await eventually(async () => {
      const res = await call('POST', '/v1/events', 'ingest', { id: `e-${Date.now()}`, type: 'order.completed', userId: 'u-2' });
      return (res.body as unknown as { results: Array<{ journeys: string[] }> }).results[0].journeys.length > 0 ? true : undefined;
    }, 10_000);
  });

  it('answers 503 with Retry-After while PostgreSQL is read-only (a standby, maintenance), and /readyz says not-ready', async () => {
    const database = decodeURIComponent(new URL(sut.db.url).pathname.slice(1));
    const admin = new PgClient({ connectionString: Object.assign(new URL(sut.db.url), { pathname: '/postgres' }).toString() });
    await admin.connect();
    // New sessions of the database start read-only; the ones open now are ended so that the pools reconnect into it.
    const setReadOnly = async (on: boolean) => {
      await admin.query(`alter database "${database.replace(/"/g, '""')}" set default_transaction_read_only = ${on ? 'on' : 'off'}`);
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [database]);
    };
    try {
      await setReadOnly(true);
      const refused = await eventually(async () => {
        const res = await call('POST', '/v1/events', 'ingest', { id: 'ro-1', type: 'order.completed', userId: 'u-ro' });
        return res.status === 503 && /read-only/.test(JSON.stringify(res.body)) ? res : undefined;
      }, 20_000);
      expect({ retryAfter: refused.retryAfter, code: refused.body.error?.code }).toEqual({ retryAfter: '5', code: 'postgres_unavailable' });
      const profile = await call('PUT', '/v1/users/u-ro', 'ingest', { attributes: { level: 1 } });
      expect({ status: profile.status, code: profile.body.error?.code }).toEqual({ status: 503, code: 'postgres_unavailable' });
      const ready = await fetch(`${baseUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: { postgres: unknown } }).checks.postgres).toMatchObject({ ok: false, reason: 'read-only' });

      await setReadOnly(false);
      const back = await eventually(async () => {
        const res = await call('POST', '/v1/events', 'ingest', { id: 'ro-1', type: 'order.completed', userId: 'u-ro' });
        return res.status === 202 ? res : undefined;
      }, 20_000);
      expect(back.body).toMatchObject({ accepted: 1 });
      expect((await fetch(`${baseUrl}/readyz`)).status).toBe(200);
    } finally {
      await setReadOnly(false).catch(() => undefined);
      await admin.end();
    }
  });
});
