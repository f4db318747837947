/**
 * The journey worker in a process of its own, for benchmarks that run the
 * API and the worker apart, as a deployment does (`npm run api`, `npm run
 * worker`). Started by startWorkerProcess with TEMPORAL_ADDRESS,
 * DATABASE_URL and TEMPORAL_TASK_QUEUE; says `ready` once polling, and stops
 * on SIGTERM or when its parent goes.
 */
import { loadConfig } from '../../src/config/config';
import { composeKairos } from '../../src/composition/compose-kairos';
import { quietRuntime } from './in-process-kairos';
import { PROOF_WORKFLOW_BUNDLE } from './journey-bundle';

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, API_KEYS: 'bench-unused:operator', LOG_LEVEL: 'warn' });
  quietRuntime();
  const kairos = await composeKairos(config, { databaseUrl: process.env.DATABASE_URL });
  const worker = await kairos.createWorker({ workflowBundlePath: PROOF_WORKFLOW_BUNDLE });
  const running = worker.run();
  const stop = () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  process.send?.('ready');
  await running;
  await kairos.close();
  process.exit(0);
}

main().catch((err: Error) => {
  console.error(`bench worker process: ${err.stack ?? err.message}`);
  process.exit(1);
});
