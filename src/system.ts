import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, makeTelemetryFilterString, type Worker } from '@temporalio/worker';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DataSource } from 'typeorm';
import { generateDevKeys, type Config, type Role } from './config/config';
import type { Logger } from './logger';
import { createApp } from './api/create-app';
import { openDataSource } from './store/data-source';
import { providePostgres } from './store/postgres';
import { ensureSearchAttributes, provideTemporal } from './temporal/launcher';
import { createKairosWorker } from './temporal/worker';

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
  stop(): Promise<void>;
}

export class MissingAddressError extends Error {}

/** Boots the parts in dependency order and returns one stop() that tears them down in reverse. */
export async function startSystem(config: Config, parts: SystemParts, log: Logger): Promise<RunningSystem> {
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err: Error) => log.warn({ err }, 'error while stopping'));
  };
  try {
    if (!parts.embedded && (!config.databaseUrl || !config.temporal.address)) {
      throw new MissingAddressError('`npm run api` and `npm run worker` need DATABASE_URL and TEMPORAL_ADDRESS; `npm start` starts both itself.');
    }
    const info = (line: string) => log.info(line);
    const postgres = await providePostgres({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log: info });
    stops.push(postgres.stop);
    const dataSource: DataSource = await openDataSource({ url: postgres.url, migrate: true });
    stops.push(() => dataSource.destroy());

    const temporal = await provideTemporal(config, info);
    stops.push(temporal.stop);
    if (!parts.embedded) await ensureSearchAttributes(temporal.address, temporal.namespace);

    // One client for the API and for the worker's batch entry (it starts journeys).
    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const client = new Client({ connection, namespace: temporal.namespace });

    let worker: Worker | undefined;
    let workerRun: Promise<void> | undefined;
    if (parts.worker) {
      installRuntime(config, log);
      const nativeConnection = await NativeConnection.connect({ address: temporal.address });
      stops.push(() => nativeConnection.close());
      worker = await createKairosWorker({
        connection: nativeConnection,
        namespace: temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        dataSource,
        maxCachedJourneys: config.workerMaxCachedJourneys,
        activityDeps: {
          messageWebhooks: config.messageWebhooks,
          webhookSecret: config.webhookSecret,
          webhookAllowedHosts: config.webhookAllowedHosts,
          temporal: { client, taskQueue: config.temporal.taskQueue },
        },
      });
      workerRun = worker.run();
      const running = worker;
      stops.push(async () => {
        if (running.getState() === 'RUNNING') running.shutdown();
        await workerRun;
      });
    }

    let app: NestFastifyApplication | undefined;
    let devKeys: Map<string, Role> | undefined;
    if (parts.api) {
      devKeys = config.apiKeys ? undefined : generateDevKeys();
      app = await createApp({
        config: { ...config, apiKeys: config.apiKeys ?? devKeys },
        dataSource,
        temporal: client,
        runtime: { temporalAddress: temporal.address, temporalUiUrl: temporal.uiUrl },
      });
      await app.listen(config.port, config.host);
      stops.push(() => app!.close());
    }
    return {
      apiUrl: app ? `http://localhost:${config.port}` : undefined,
      temporalAddress: temporal.address,
      temporalUiUrl: temporal.uiUrl,
      databaseSource: postgres.source,
      devKeys,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

let runtimeInstalled = false;

/** SDK runtime once per process: core logs forwarded, Prometheus metrics from the worker. */
function installRuntime(config: Config, log: Logger): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: {
      log: (level, message, meta) => log[level === 'TRACE' ? 'trace' : level === 'DEBUG' ? 'debug' : level === 'WARN' ? 'warn' : level === 'ERROR' ? 'error' : 'info'](meta ?? {}, message),
      trace: (m, meta) => log.trace(meta ?? {}, m),
      debug: (m, meta) => log.debug(meta ?? {}, m),
      info: (m, meta) => log.info(meta ?? {}, m),
      warn: (m, meta) => log.warn(meta ?? {}, m),
      error: (m, meta) => log.error(meta ?? {}, m),
    },
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      ...(config.workerMetricsPort > 0
        ? { metrics: { prometheus: { bindAddress: `${config.host}:${config.workerMetricsPort}` } } }
        : {}),
    },
  });
}
