import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/config';
import { createApp } from '../../src/api/create-app';
import type { OutboxOptions } from '../../src/api/outbox/outbox.options';
import { composeKairos } from '../../src/composition/compose-kairos';
import type { JourneyGateway } from '../../src/temporal/journey-gateway';
import { keepAliveClient } from './http-client';
import { PROOF_WORKFLOW_BUNDLE } from './journey-bundle';

export interface InProcessKairos {
  baseUrl: string;
  client: Client;
  journeys: JourneyGateway;
  taskQueue: string;
  /** POST /v1/events with the ingest key; returns the HTTP status and the Retry-After header. */
  postEvents(events: unknown[]): Promise<{ status: number; retryAfter: string | null; body: unknown }>;
  /** Any call with the support key (cancels, reads). */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

let runtimeInstalled = false;
/**
 * The SDK logs every worker state change at INFO, and under a deliberate
 * overload every slow workflow task at WARN: a benchmark wants errors only.
 */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
  });
}

/** The real API (and, unless `worker: false`, the real worker) in this process, as `npm start` wires them. */
export async function startInProcessKairos(opts: {
  address: string;
  dataSource: DataSource;
  databaseUrl: string;
  worker?: boolean;
  taskQueue?: string;
  outbox?: Partial<OutboxOptions>;
}): Promise<InProcessKairos> {
  const suffix = randomBytes(4).toString('hex');
  const keys = { ingest: `ingest-${suffix}`, support: `support-${suffix}`, operator: `operator-${suffix}` };
  const taskQueue = opts.taskQueue ?? `kairos-bench-${suffix}`;
  const config = loadConfig({
    TEMPORAL_ADDRESS: opts.address,
    DATABASE_URL: opts.databaseUrl,
    TEMPORAL_TASK_QUEUE: taskQueue,
    API_KEYS: Object.entries(keys).map(([role, key]) => `${key}:${role}`).join(','),
    LOG_LEVEL: 'warn',
  });
  const kairos = await composeKairos(config, { dataSource: opts.dataSource });
  let stopWorker = async () => undefined as void;
  if (opts.worker !== false) {
    // Only with a worker: a runtime no worker ever registered with is never shut down, and keeps the process alive.
    quietRuntime();
    const worker = await kairos.createWorker({ workflowBundlePath: PROOF_WORKFLOW_BUNDLE });
    const running = worker.run();
    stopWorker = async () => {
      // On SIGINT/SIGTERM the SDK's runtime has begun the shutdown already.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    };
  }
  const app: NestFastifyApplication = await createApp(
    { config, kairos, runtime: { temporalAddress: opts.address }, outbox: opts.outbox },
    { logger: false },
  );
  await app.listen(0, '127.0.0.1');
  const baseUrl = await app.getUrl();
  const http = keepAliveClient(baseUrl);
  const request = http.request;
  return {
    baseUrl,
    client: kairos.client,
    journeys: kairos.journeys,
    taskQueue,
    postEvents: (events) => request(keys.ingest, 'POST', '/v1/events', events.length === 1 ? events[0] : { events }),
    call: (method, path, body) => request(keys.support, method, path, body),
    async stop() {
      http.close();
      await app.close();
      await stopWorker();
      await kairos.close();
    },
  };
}
