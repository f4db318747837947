import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * Keeps one worker child running, as a process manager would: whenever it
 * exits (killed, or given up on an unreachable server) a new one is started.
 * `kill()` sends SIGKILL to the current child: no shutdown, no goodbye.
 */
export class WorkerSupervisor {
  private child: ChildProcess | null = null;
  private stopping = false;
  private readyWaiters: Array<() => void> = [];
  ready = false;
  starts = 0;
  kills = 0;
  lastOutput = '';

  constructor(private readonly env: Record<string, string>) {}

  start(): void {
    this.starts++;
    this.ready = false;
    const child = spawn(process.execPath, [path.join(__dirname, 'worker-child.js')], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready') && this.child === child) {
        this.ready = true;
        for (const w of this.readyWaiters.splice(0)) w();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.lastOutput = (this.lastOutput + chunk.toString()).slice(-2000);
    });
    child.once('exit', () => {
      if (this.child !== child) return;
      this.child = null;
      this.ready = false;
      // Restarting at once after a crash loop would spin: a short pause, bounded by the caller's run time.
      if (!this.stopping) setTimeout(() => this.start(), 500);
    });
  }

  /** Resolves when the current child polls; rejects after `timeoutMs`. */
  whenReady(timeoutMs = 60_000): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker not ready within ${timeoutMs} ms: ${this.lastOutput}`)), timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  kill(): void {
    if (!this.child) return;
    this.kills++;
    this.child.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}
