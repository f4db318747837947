import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig, type Config, type Role } from '../../src/config/config';
import { createApp } from '../../src/api/create-app';
import type { OutboxOptions } from '../../src/api/outbox/outbox.options';
import type { RoutingOptions } from '../../src/api/routing/routing.options';
import { composeKairos, type Kairos } from '../../src/composition/compose-kairos';
import { openDataSource } from '../../src/store/data-source';
import { TcpProxy } from './tcp-proxy';
import type { Logger } from '../../src/logger';
import { runtimeLogger } from '../../src/observability/runtime-logger';
import { createTestDatabase, type TestDatabase } from './test-database';
import { ensureNamespace } from './ensure-namespace';
import type { IsolatedNamespace } from './isolated-namespaces';
import { sharedWorkflowBundle } from './shared-workflow-bundle';

export interface HttpResult {
  status: number;
  // Tests read into arbitrary JSON answers; `any` keeps those reads short.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Headers;
}

export interface SystemUnderTest {
  baseUrl: string;
  keys: Record<Role, string>;
  config: Config;
  db: TestDatabase;
  client: Client;
  /** The worker's composed parts (the API's are the same unless `proxyDatabase`). */
  kairos: Kairos;
  taskQueue: string;
  /** Every route Fastify registered for the app (`GET /v1/users/:id`), as seen by its onRoute hook. */
  registeredRoutes: { method: string; url: string }[];
  /** With `proxyDatabase`: the proxy between the API and PostgreSQL, which a test may cut (the worker keeps its own connection). */
  databaseProxy?: TcpProxy;
  /** Sends a request with the key of `role` (or none). */
  request(method: string, path: string, opts?: { role?: Role; key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<HttpResult>;
  /** Shuts the worker down while the API keeps running (a worker outage); stop() does not start it again. */
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real API and worker against the suite's own database and task queue
 * on the shared test Temporal server; `beforeStart` may seed the database.
 */
export async function startSystemUnderTest(
  opts: {
    beforeStart?: (db: TestDatabase) => Promise<void>;
    env?: Record<string, string>;
    outbox?: Partial<OutboxOptions>;
    proxyDatabase?: boolean;
    routing?: Partial<RoutingOptions>;
    /** The process logger for the API and the Temporal runtime (as `npm start` wires it); default: quiet. */
    log?: Logger;
    /** A namespace of its own (see isolated-namespaces.ts); default: the shared `default`. */
    namespace?: IsolatedNamespace;
  } = {},
): Promise<SystemUnderTest> {
  const address = process.env.KAIROS_TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('KAIROS_TEST_TEMPORAL_ADDRESS is not set: run through the integration jest project.');
  const suffix = randomBytes(4).toString('hex');
  const keys = { ingest: `ingest-${suffix}`, support: `support-${suffix}`, operator: `operator-${suffix}`, admin: `admin-${suffix}` };
  const taskQueue = `kairos-test-${suffix}`;
  const db = await createTestDatabase();
  await opts.beforeStart?.(db);
  const config = loadConfig({
    TEMPORAL_ADDRESS: address,
    DATABASE_URL: db.url,
    TEMPORAL_TASK_QUEUE: taskQueue,
    API_KEYS: Object.entries(keys).map(([role, key]) => `${key}:${role}`).join(','),
    LOG_LEVEL: 'warn',
    ...(opts.namespace ? { TEMPORAL_NAMESPACE: opts.namespace } : {}),
    ...opts.env,
  });

  if (opts.log) installRuntime(runtimeLogger(opts.log));
  else quietRuntime();
  const temporal = { address, namespace: opts.namespace ?? 'default' };
  // A server the suites did not start (KAIROS_TEST_TEMPORAL_ADDRESS) may lack the namespace: create it.
  if (opts.namespace) await ensureNamespace(address, opts.namespace);
  const kairos = await composeKairos(config, { dataSource: db.dataSource, temporal });
  const worker = await kairos.createWorker({ workflowBundlePath: sharedWorkflowBundle() });
  const workerRun = worker.run();
  let workerStopped = false;
  const stopWorker = async () => {
    if (!workerStopped) {
      workerStopped = true;
      worker.shutdown();
    }
    await workerRun;
  };
  const { client } = kairos;
  // With `proxyDatabase` the API has parts of its own on the proxied database; the worker keeps its own connection.
  let databaseProxy: TcpProxy | undefined;
  let apiKairos = kairos;
  if (opts.proxyDatabase) {
    const target = new URL(db.url);
    databaseProxy = new TcpProxy(Number(target.port || 5432), target.hostname);
    target.port = String(await databaseProxy.start());
    apiKairos = await composeKairos(config, { dataSource: await openDataSource({ url: target.toString() }), temporal });
  }
  const app: NestFastifyApplication = await createApp(
    { config, kairos: apiKairos, runtime: { temporalAddress: address }, outbox: opts.outbox, routing: opts.routing },
    opts.log ? { log: opts.log } : { logger: false },
  );
  const registeredRoutes: { method: string; url: string }[] = [];
  // Nest registers its routes on Fastify during listen(); the hook sees each as Fastify stores it.
  app.getHttpAdapter().getInstance().addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) registeredRoutes.push({ method, url: route.url });
  });
  await app.listen(0, '127.0.0.1');
  const baseUrl = await app.getUrl();

  return {
    baseUrl,
    keys,
    config,
    db,
    client,
    kairos,
    taskQueue,
    registeredRoutes,
    databaseProxy,
    async request(method, path, r = {}) {
      const key = r.key ?? (r.role ? keys[r.role] : undefined);
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(r.body !== undefined || r.rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...r.headers,
        },
        body: r.rawBody ?? (r.body !== undefined ? JSON.stringify(r.body) : undefined),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON (metrics): keep the text.
      }
      return { status: res.status, body, headers: res.headers };
    },
    stopWorker,
    async stop() {
      // Every part is stopped even when one fails to (a timer left running would fire after the suite's teardown).
      try {
        await app.close();
      } finally {
        try {
          if (databaseProxy) {
            await databaseProxy.start().catch(() => undefined);
            await apiKairos.close();
            await apiKairos.dataSource.destroy().catch(() => undefined);
            await databaseProxy.stop();
          }
        } finally {
          await stopWorker();
          await kairos.close();
          await db.drop();
        }
      }
    },
  };
}

let runtimeInstalled = false;
/** The SDK logs every worker state change at INFO; tests want warnings only. */
function quietRuntime(): void {
  installRuntime(new DefaultLogger('WARN'));
}

function installRuntime(logger: NonNullable<Parameters<typeof Runtime.install>[0]['logger']>): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger });
}

/** Polls until `fn` returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
