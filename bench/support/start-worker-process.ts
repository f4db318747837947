import { fork } from 'node:child_process';
import path from 'node:path';

/** Forks bench/support/worker-process on `taskQueue`; resolves once it polls, with a stop that waits for it to exit. */
export async function startWorkerProcess(opts: { address: string; databaseUrl: string; taskQueue: string }): Promise<{ pid: number; stop(): Promise<void> }> {
  const child = fork(path.join(__dirname, 'worker-process.js'), [], {
    env: { ...process.env, TEMPORAL_ADDRESS: opts.address, DATABASE_URL: opts.databaseUrl, TEMPORAL_TASK_QUEUE: opts.taskQueue },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the worker process exited with code ${code} before it was ready`)));
  });
  return {
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
