import { NativeConnection, Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createBaselineActivities, createBaselineTable } from './baseline.activities';

/** A worker for the baseline workflow alone, on its own task queue, with its own bundle. */
export async function startBaselineWorker(address: string, taskQueue: string, ds: DataSource): Promise<{ stop(): Promise<void> }> {
  await createBaselineTable(ds);
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue,
    workflowsPath: require.resolve('./baseline.workflow'),
    activities: createBaselineActivities(ds),
  });
  const running = worker.run();
  return {
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
