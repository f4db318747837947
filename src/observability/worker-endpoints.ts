import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from '@temporalio/worker';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { runCheck } from './checks';
import { PostgresProbe } from './postgres-probe';
import { isTemporalListening } from '../config/temporal-connection';
import { METRICS_TOKEN_NEEDED, metricsAuthorized } from './metrics-token';
import { listenUrl } from './listen-url';
import { listenOn, otherLocalhostBindings } from './localhost-bindings';
import type { BootPhase } from './boot-phase';

export interface WorkerEndpointsOptions {
  host: string;
  port: number;
  /**
   * The worker once it is created: the endpoints listen first, so a taken
   * port stops the boot before the worker could take any task.
   */
  worker: () => Worker | undefined;
  /** Where the worker's connection dials Temporal (host:port): /readyz tells nothing listening there from a slow answer. */
  temporalAddress?: string;
  /** What /readyz checks PostgreSQL through; absent while the process boots (given later with attach). */
  dataSource?: DataSource;
  /** What the process does while it boots (before the worker exists): /readyz's `reason`. */
  booting?: () => BootPhase;
  /** The worker process's own metrics (activities: rewards, ledger retries, ...). */
  registry: Registry;
  /** Where the SDK runtime's Prometheus exporter listens, on loopback only; its text is served with ours. */
  coreMetricsUrl?: string;
  /** METRICS_TOKEN: when set, /metrics needs it as a bearer token. */
  metricsToken?: string;
  /** How long /readyz waits for PostgreSQL and Temporal (default WORKER_READYZ_CHECK_MS, a constant below, not a variable); tests lengthen it. */
  readyzCheckMs?: number;
}

/** What the endpoints learn once the process has migrated and connected (the boot listens before that). */
export interface WorkerEndpointsParts {
  dataSource: DataSource;
  temporalAddress?: string;
  coreMetricsUrl?: string;
}

export interface WorkerEndpoints {
  url: string;
  /** Gives /readyz its PostgreSQL (and /metrics the SDK's exporter) once the boot has them. */
  attach(parts: WorkerEndpointsParts): void;
  close(): Promise<void>;
}

/** What answers a request: the options, with what attach gave; `probe` absent until there is a data source. */
interface Serving {
  opts: WorkerEndpointsOptions;
  probe?: PostgresProbe;
}

/**
 * The worker's HTTP face on WORKER_METRICS_PORT: /livez (the process
 * answers), /readyz (the worker polls and PostgreSQL, which its activities
 * need, answers) and /metrics (the SDK's worker metrics followed by the
 * process's own). The SDK exporter cannot serve probes, so it binds to an
 * internal loopback port and this server passes its text on.
 *
 * Started first thing at boot, before PostgreSQL is migrated: /livez answers
 * 200 throughout, and /readyz 503 with the boot's `reason` until attach gives
 * it PostgreSQL and the worker runs.
 */
export async function startWorkerEndpoints(opts: WorkerEndpointsOptions): Promise<WorkerEndpoints> {
  // On a connection of its own: the activities' load on the pool is not PostgreSQL failing (PostgresProbe).
  const checkMs = opts.readyzCheckMs ?? WORKER_READYZ_CHECK_MS;
  const serving: Serving = { opts, probe: opts.dataSource ? new PostgresProbe(opts.dataSource, checkMs) : undefined };
  let closed = false;
  const respond: http.RequestListener = (req, res) => {
    void answer(serving, req.url ?? '/', req.headers.authorization).then(
      ({ status, body, type, headers }) => {
        res.writeHead(status, { 'content-type': type, ...(status === 503 ? { 'retry-after': '5' } : {}), ...headers });
        res.end(body);
      },
      () => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error\n');
      },
    );
  };
  const make = () => http.createServer(respond);
  const server = make();
  try {
    await listenOn(server, opts.port, opts.host);
  } catch (err) {
    await serving.probe?.close();
    throw err;
  }
  // HOST=localhost: its other addresses too, as the API's port binds them (a probe or scrape at 127.0.0.1 while ::1 came first).
  const servers = [server, ...(await otherLocalhostBindings(opts.host, server, make))];
  const { port } = server.address() as AddressInfo;
  return {
    url: listenUrl(opts.host, port),
    attach: (parts) => {
      if (closed) return;
      const earlier = serving.probe;
      serving.opts = { ...serving.opts, ...parts };
      serving.probe = new PostgresProbe(parts.dataSource, checkMs);
      void earlier?.close();
    },
    close: async () => {
      closed = true;
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      await serving.probe?.close();
    },
  };
}

interface Answer {
  status: number;
  body: string;
  type: string;
  headers?: Record<string, string>;
}

/** grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING: any other status (UNKNOWN, NOT_SERVING) is not ready. */
const SERVING = 1;

/** How long the worker's /readyz waits for PostgreSQL and Temporal; no answer by then is `timeout`, not ready. */
const WORKER_READYZ_CHECK_MS = 800;

const json = (status: number, value: unknown): Answer => ({ status, body: `${JSON.stringify(value)}\n`, type: 'application/json' });

async function answer({ opts, probe }: Serving, url: string, authorization: string | undefined): Promise<Answer> {
  const path = url.split('?')[0];
  // From the start of the process: a boot that migrates for minutes is alive, only not ready.
  if (path === '/livez') return json(200, { status: 'ok' });
  if (path === '/readyz') {
    const worker = opts.worker();
    // Booting: what it does, and no check yet (PostgreSQL may be the very thing being migrated, or waited for).
    const reason = worker ? undefined : opts.booting?.();
    if (!probe) return json(503, { status: 'not-ready', worker: 'STARTING', ...(reason ? { reason } : {}), checks: {} });
    const state = worker?.getState() ?? 'STARTING';
    const checkMs = opts.readyzCheckMs ?? WORKER_READYZ_CHECK_MS;
    // The pollers keep retrying while Temporal is away and the worker's state stays RUNNING: ask Temporal itself.
    const connection = worker?.connection;
    // Bounded so the answer comes within an orchestrator's default 1 s probe timeout, as the API's does.
    const askTemporal = (c: NonNullable<typeof connection>) => {
      // With a deadline: the native connection would keep an unbounded call pending per probe while Temporal is away.
      // Only SERVING is ok: a frontend that is shutting down answers NOT_SERVING (a reply, not an error) so that clients leave it.
      const asked = c
        .withDeadline(Date.now() + checkMs, () => c.healthService.check({}))
        .then(({ status }) => {
          if (status !== SERVING) throw new Error('Temporal is not serving');
        });
      if (!opts.temporalAddress) return asked;
      // The SDK's native connection reconnects and its check waits rather than fails: nothing listening there would read as `timeout`.
      const refused = isTemporalListening(opts.temporalAddress, checkMs).then((listening) =>
        listening === false ? Promise.reject(new Error('nothing accepts connections there')) : new Promise<never>(() => undefined),
      );
      return Promise.race([asked, refused]);
    };
    const [postgres, temporal] = await Promise.all([
      probe.check(),
      connection ? runCheck(() => askTemporal(connection), checkMs) : Promise.resolve(null),
    ]);
    const ready = state === 'RUNNING' && postgres.ok && temporal?.ok !== false;
    return json(ready ? 200 : 503, { status: ready ? 'ready' : 'not-ready', worker: state, ...(reason ? { reason } : {}), checks: { postgres, ...(temporal ? { temporal } : {}) } });
  }
  if (path === '/metrics') {
    if (!metricsAuthorized(authorization, opts.metricsToken)) return { ...json(401, { error: { code: 'unauthorized', message: METRICS_TOKEN_NEEDED, details: [] } }), headers: { 'WWW-Authenticate': 'Bearer' } };
    const own = await opts.registry.metrics();
    const core = opts.coreMetricsUrl ? await fetchText(opts.coreMetricsUrl) : '';
    return { status: 200, body: `${core}${core && !core.endsWith('\n') ? '\n' : ''}${own}`, type: 'text/plain; version=0.0.4; charset=utf-8' };
  }
  return json(404, { error: { code: 'not_found', message: 'Worker endpoints: /livez, /readyz, /metrics', details: [] } });
}

/** The SDK exporter's text; empty (not an error) when it does not answer, so our own metrics still show. */
async function fetchText(url: string): Promise<string> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok ? await res.text() : '';
  } catch {
    return '';
  }
}
