import { Runtime, makeTelemetryFilterString, type Worker } from '@temporalio/worker';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Config, Role } from './config/config';
import { devKeysIn } from './config/dev-keys';
import type { Logger } from './logger';
import { apiConnectionsCheckingInterval, createApp } from './api/create-app';
import { composeKairos } from './composition/compose-kairos';
import { providePostgres } from './store/postgres';
import { ensureSearchAttributes, provideTemporal } from './provisioning/launcher';
import { SearchAttributesGate } from './provisioning/search-attributes-gate';
import { syncRetentionSchedule } from './temporal/retention-schedule';
import { RetentionRepository } from './store/repositories/retention.repository';
import { createMetricsRegistry, serviceLabel } from './observability/metrics-registry';
import { startWorkerEndpoints, type WorkerEndpoints } from './observability/worker-endpoints';
import { BootProgress } from './observability/boot-phase';
import { startBootListener, type BootListener } from './api/health/boot-listener';
import { listenUrl } from './observability/listen-url';
import { freeLoopbackPort } from './observability/free-port';
import { runtimeLogger } from './observability/runtime-logger';
import { explainListenError } from './config/listen-error';

export interface SystemParts {
  api: boolean;
  worker: boolean;
  /** Start a dev server / local or embedded PostgreSQL when no address is given. */
  embedded: boolean;
}

export interface RunningSystem {
  apiUrl?: string;
  temporalAddress: string;
  temporalUiUrl?: string;
  databaseSource: string;
  devKeys?: Map<string, Role>;
  /** Where devKeys are kept (the data folder). */
  devKeysFile?: string;
  /** The worker's /livez, /readyz and /metrics, when it runs and WORKER_METRICS_PORT is not 0. */
  workerEndpointsUrl?: string;
  /**
   * Settles with the error when a part fails after boot (today: the worker's
   * run ends in an error); never settles otherwise. The process stops on it.
   */
  failed: Promise<Error>;
  stop(): Promise<void>;
}

export class MissingAddressError extends Error {}

/** How long stopping waits for the worker's run to end: shutdownGraceTime (10 s) and some. */
const WORKER_STOP_WAIT_MS = 20_000;
/**
 * The same for a worker that failed: its pollers are gone and its shutdown call keeps failing, so
 * its run rarely ends at all, and a longer wait only delays the restart that brings it back.
 */
const FAILED_WORKER_STOP_WAIT_MS = 2_000;

/** Boots the parts in dependency order and returns one stop() that tears them down in reverse. */
export async function startSystem(config: Config, parts: SystemParts, log: Logger): Promise<RunningSystem> {
  const stops: Array<() => Promise<unknown>> = [];
  let fail: (err: Error) => void = () => undefined;
  const failed = new Promise<Error>((resolve) => {
    fail = resolve;
  });
  let stopping = false;
  const stop = async () => {
    stopping = true;
    for (const s of stops.reverse()) await s().catch((err: Error) => log.warn({ err }, 'error while stopping'));
  };
  try {
    if (!parts.embedded && (!config.databaseUrl || !config.temporal.address)) {
      throw new MissingAddressError('`npm run api` and `npm run worker` need DATABASE_URL and TEMPORAL_ADDRESS; `npm start` starts both itself.');
    }
    // Listening before anything else, migrations included: /livez answers from the start, /readyz says what the boot does.
    const boot = new BootProgress();
    const created: { worker?: Worker } = {};
    let workerEndpoints: WorkerEndpoints | undefined;
    if (parts.worker && config.workerMetricsPort > 0) {
      // Listening before the worker exists: a taken port stops the boot before any task is polled.
      workerEndpoints = await startWorkerEndpoints({
        host: config.host,
        port: config.workerMetricsPort,
        worker: () => created.worker,
        booting: () => boot.phase,
        registry: createMetricsRegistry('kairos-worker'),
        metricsToken: config.metricsToken,
      }).catch((err: unknown) => {
        throw explainListenError(err, 'WORKER_METRICS_PORT', config.workerMetricsPort, config.host);
      });
      stops.push(workerEndpoints.close);
    }
    let bootListener: BootListener | undefined;
    if (parts.api) {
      bootListener = await startBootListener({
        host: config.host,
        port: config.port,
        connectionsCheckingInterval: apiConnectionsCheckingInterval(config.requestTimeoutMs),
        phase: () => boot.phase,
      }).catch((err: unknown) => {
        throw explainListenError(err, 'PORT', config.port, config.host);
      });
      stops.push(bootListener.close);
    }

    const info = (line: string) => log.info(line);
    const postgres = await providePostgres({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, embeddedPort: config.embeddedPostgresPort, log: info });
    stops.push(postgres.stop);
    // Its exit is news only while Kairos runs: once stopping (a signal, a failed worker), it goes anyway.
    const temporal = await provideTemporal(config, info, (line) => (stopping ? log.debug(line) : log.error(line)));
    stops.push(temporal.stop);
    // The own dev server was started with them: no second connection at boot to register them again.
    const register = temporal.searchAttributesRegistered ? async () => undefined : () => ensureSearchAttributes(temporal.address, temporal.namespace, temporal.connection);
    const searchAttributes = new SearchAttributesGate(register, temporal.address, log);
    stops.push(async () => searchAttributes.stop());
    // The API alone boots while Temporal is away (ingestion accepts into the outbox); a worker needs it.
    boot.phase = 'search-attributes';
    await searchAttributes.open(parts.api && !parts.worker);

    // Migrates, or waits for the instance that does (the advisory lock): minutes for some upgrades.
    boot.phase = 'migrating';
    const kairos = await composeKairos(config, { databaseUrl: postgres.url, temporal, startsAllowed: () => searchAttributes.isOpen });
    stops.push(kairos.close);
    const { dataSource, client } = kairos;
    boot.phase = 'starting';

    if (parts.worker) {
      const coreMetricsPort = workerEndpoints ? await freeLoopbackPort() : undefined;
      installRuntime(log, coreMetricsPort);
      workerEndpoints?.attach({ dataSource, temporalAddress: temporal.address, coreMetricsUrl: coreMetricsPort !== undefined ? `http://127.0.0.1:${coreMetricsPort}/metrics` : undefined });
      const retention = new RetentionRepository(dataSource);
      await syncRetentionSchedule(client, config.temporal.taskQueue, config.retention, (kinds) => retention.forgetDone(kinds), (kinds) => retention.baselineDone(kinds));
      // Run at once: a created Worker that never runs keeps its native connection from closing.
      const running = await kairos.createWorker();
      created.worker = running;
      let stopAsked = false;
      // A run that ends in an error is the process's failure, not an unhandled rejection; so is one that
      // ends when nothing asked it to: the process would stay up (its /livez answering) with no worker.
      const workerRun = running.run().then(
        () => {
          if (!stopAsked) fail(new Error(`its run ended though nothing asked it to stop (state ${running.getState()})`));
        },
        (err: unknown) => {
          fail(err instanceof Error ? err : new Error(String(err)));
        },
      );
      // The SDK can reach FAILED (its pollers refused for good) and take minutes to settle run(), or
      // never settle it while its shutdown call keeps failing: the state is the earlier word.
      const watch = setInterval(() => {
        if (running.getState() !== 'FAILED') return;
        clearInterval(watch);
        fail(new Error('its pollers failed for good (state FAILED; the reason is in the "Worker failed" log line)'));
      }, 1000);
      watch.unref();
      stops.push(async () => {
        stopAsked = true;
        clearInterval(watch);
        const state = running.getState();
        if (state === 'RUNNING') running.shutdown();
        // A failed worker's run() may never settle; stopping must still end.
        const wait = state === 'FAILED' ? FAILED_WORKER_STOP_WAIT_MS : WORKER_STOP_WAIT_MS;
        await Promise.race([workerRun, new Promise((r) => setTimeout(r, wait).unref())]);
      });
    }

    let app: NestFastifyApplication | undefined;
    let devKeys: Map<string, Role> | undefined;
    let devKeysFile: string | undefined;
    if (bootListener) {
      // Kept in the data folder: the same keys on every restart of `npm start`.
      if (!config.apiKeys) ({ keys: devKeys, file: devKeysFile } = devKeysIn(config.dataDir));
      app = await createApp(
        {
          config: { ...config, apiKeys: config.apiKeys ?? devKeys },
          kairos,
          runtime: { temporalAddress: temporal.address, temporalUiUrl: temporal.uiUrl },
        },
        { log, serverFactory: bootListener.serverFactory },
      );
      // Closed with the rest even when its start fails: a Nest app left open keeps its LISTEN connection retrying.
      const nest = app;
      stops.push(() => nest.close());
      // On the socket the boot listened on: no moment in which the port refuses a connection.
      await bootListener.handOver(app);
    }
    return {
      apiUrl: app ? listenUrl(config.host, config.port) : undefined,
      temporalAddress: temporal.address,
      temporalUiUrl: temporal.uiUrl,
      databaseSource: postgres.source,
      devKeys,
      devKeysFile,
      workerEndpointsUrl: workerEndpoints?.url,
      failed,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

let runtimeInstalled = false;

/** SDK runtime once per process: core logs forwarded, its Prometheus exporter on an internal loopback port. */
function installRuntime(log: Logger, coreMetricsPort: number | undefined): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: runtimeLogger(log),
    // Signals are run-process's alone: the SDK's default handlers (SIGINT, SIGTERM, SIGQUIT, SIGUSR2) stopped the
    // worker for good and kept the process up, swallowed a SIGTERM during boot, and took SIGUSR2 from heap snapshots.
    shutdownSignals: [],
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      // The worker's label on the SDK's series too, so one filter finds all of the worker's.
      ...(coreMetricsPort !== undefined ? { metrics: { prometheus: { bindAddress: `127.0.0.1:${coreMetricsPort}` }, globalTags: serviceLabel('kairos-worker') } } : {}),
    },
  });
}
