import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { Activities } from '../../src/activities';
import { sharedWorkflowCode } from './shared-workflow-bundle';

export interface MemoryActivitiesWorker {
  taskQueue: string;
  client: Client;
  stop(): Promise<void>;
}

/**
 * The real workflows on the shared test Temporal server, on a task queue of
 * their own, with activities given in memory (the suite's fakes): a workflow's
 * own decisions, without a database.
 */
export async function startMemoryActivitiesWorker(queuePrefix: string, activities: Partial<Activities>): Promise<MemoryActivitiesWorker> {
  const address = process.env.KAIROS_TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('KAIROS_TEST_TEMPORAL_ADDRESS is not set: run through the integration jest project.');
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Installed already by another suite in this process.
  }
  const taskQueue = `${queuePrefix}-${randomBytes(4).toString('hex')}`;
  const code = await sharedWorkflowCode();
  const worker = await Worker.create({ connection: await NativeConnection.connect({ address }), namespace: 'default', taskQueue, workflowBundle: { code }, activities });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  return {
    taskQueue,
    client: new Client({ connection, namespace: 'default' }),
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
