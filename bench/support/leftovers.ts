import type { Client } from '@temporalio/client';
import { waitFor } from './stats';

/**
 * A bench measures up to the reward and then stops its workers; on a
 * persistent server (scripts/temporal-server.sh) whatever its workflows still
 * had to do (the last journey-log write, a timer) would wait forever on a
 * task queue nobody polls. Let them finish for a while, then terminate the rest.
 */
export async function closeLeftovers(client: Client, taskQueues: string[], graceMs = 60_000): Promise<void> {
  const query = `(${taskQueues.map((q) => `TaskQueue = "${q}"`).join(' OR ')}) AND ExecutionStatus = "Running"`;
  const running = async () => (await client.workflow.count(query)).count;
  if (await waitFor(async () => (await running()) === 0, graceMs, 1000)) return;
  await client.workflowService
    .startBatchOperation({
      namespace: client.options.namespace,
      jobId: `bench-cleanup-${taskQueues[0]}`,
      visibilityQuery: query,
      reason: 'bench done',
      terminationOperation: {},
    })
    .catch((err: unknown) => console.error('could not terminate the leftover workflows:', (err as Error).message));
}
