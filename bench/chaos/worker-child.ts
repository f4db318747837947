/**
 * The journey worker as its own process, so chaos can SIGKILL it: the real
 * createKairosWorker on DATABASE_URL / TEMPORAL_ADDRESS / TEMPORAL_TASK_QUEUE.
 * Prints "ready" once polling; SIGTERM, or its parent's death, shuts it down in order.
 */
import { composeKairos } from '../../src/composition/compose-kairos';
import { loadConfig } from '../../src/config/config';
import { openDataSource } from '../../src/store/data-source';
import { quietRuntime } from '../support/in-process-kairos';
import { exitWithParent } from '../support/run-lifetime';
import { PROOF_WORKFLOW_BUNDLE } from '../support/journey-bundle';

async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS!;
  const taskQueue = process.env.TEMPORAL_TASK_QUEUE!;
  quietRuntime();
  const dataSource = await openDataSource({ url: process.env.DATABASE_URL!, poolSize: 10 });
  const config = loadConfig({ TEMPORAL_ADDRESS: address, DATABASE_URL: process.env.DATABASE_URL!, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn' });
  const kairos = await composeKairos(config, { dataSource });
  const worker = await kairos.createWorker({ workflowBundlePath: PROOF_WORKFLOW_BUNDLE });
  // The SDK's runtime may have begun the shutdown on the same signal.
  const shutdown = () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  process.once('SIGTERM', shutdown);
  // The chaos run SIGKILLed or gone without its goodbye: this worker must not poll on for nobody.
  exitWithParent(() => {
    shutdown();
    setTimeout(() => process.exit(1), 10_000).unref();
  });
  const running = worker.run();
  console.log('ready');
  await running;
  await kairos.close();
  await dataSource.destroy();
}

main().catch((err: unknown) => {
  console.error('worker-child:', err);
  process.exit(1);
});
