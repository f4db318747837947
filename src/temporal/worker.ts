import { existsSync } from 'node:fs';
import path from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Activities } from '../activities';

export interface KairosWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** The activities, as composeKairos builds them. */
  activities: Activities;
  /** Override for tests; by default the prebuilt bundle when present, else the sources. */
  workflowBundlePath?: string;
  /** Journeys kept in memory between their tasks (config WORKER_MAX_CACHED_JOURNEYS); default: defaultCachedJourneys(). */
  maxCachedJourneys?: number;
}

/**
 * A cached journey costs about 130 KiB of heap (npm run bench:memory, with
 * the zod-free bundle). The SDK's default assumes 1 MiB (600 per GiB); two
 * thousand per GiB above a 256 MiB reserve keeps several times the measured
 * cost as headroom for larger states, payloads and activities in flight.
 */
export function defaultCachedJourneys(heapLimitBytes = getHeapStatistics().heap_size_limit): number {
  const spareMiB = Math.max(heapLimitBytes / (1024 * 1024) - 256, 0);
  return Math.max(Math.floor((spareMiB * 2000) / 1024), 100);
}

/** Where `npm run build` writes the prebuilt workflow bundle. */
export const WORKFLOW_BUNDLE_PATH = path.resolve(__dirname, '..', '..', 'workflow-bundle.js');

export async function createKairosWorker(opts: KairosWorkerOptions): Promise<Worker> {
  const bundlePath = opts.workflowBundlePath ?? WORKFLOW_BUNDLE_PATH;
  const workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> = existsSync(bundlePath)
    ? { workflowBundle: { codePath: bundlePath } }
    : { workflowsPath: require.resolve('../workflows') };
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...workflows,
    activities: opts.activities,
    maxCachedWorkflows: opts.maxCachedJourneys ?? defaultCachedJourneys(),
    // Let in-flight activities finish on SIGTERM before the process exits.
    shutdownGraceTime: '10 seconds',
  });
}
