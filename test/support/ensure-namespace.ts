import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { ensureSearchAttributes } from '../../src/provisioning/launcher';

const GRPC_NOT_FOUND = 5;
const GRPC_ALREADY_EXISTS = 6;

/** Makes sure `namespace` exists on the server at `address`, with Kairos' search attributes; waits until it answers. */
export async function ensureNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: 10_000 });
  try {
    const exists = await connection.workflowService.describeNamespace({ namespace }).then(
      () => true,
      (err: { code?: number }) => {
        if (err.code === GRPC_NOT_FOUND) return false;
        throw err;
      },
    );
    if (!exists) {
      await connection.workflowService
        .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') })
        .catch((err: { code?: number }) => {
          if (err.code !== GRPC_ALREADY_EXISTS) throw err;
        });
      // The frontend and the operator service learn of a new namespace on their next cache refresh.
      const answers = () =>
        Promise.all([connection.workflowService.describeNamespace({ namespace }), connection.operatorService.listSearchAttributes({ namespace })]).then(
          () => true,
          () => false,
        );
      const deadline = Date.now() + 30_000;
      while (!(await answers())) {
        if (Date.now() > deadline) throw new Error(`namespace ${namespace} was registered but does not answer`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    await connection.close();
  }
  await ensureSearchAttributes(address, namespace);
}
