import { existsSync } from 'node:fs';
import path from 'node:path';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createActivities, type ActivityDeps } from '../activities';

export interface KairosWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dataSource: DataSource;
  /** Message webhooks, webhook secret and timeout for the activities (config); none by default. */
  activityDeps?: Omit<ActivityDeps, 'dataSource'>;
  /** Override for tests; by default the prebuilt bundle when present, else the sources. */
  workflowBundlePath?: string;
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
    activities: createActivities({ ...opts.activityDeps, dataSource: opts.dataSource }),
    // Let in-flight activities finish on SIGTERM before the process exits.
    shutdownGraceTime: '10 seconds',
  });
}
