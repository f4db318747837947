import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const SCRIPT = path.resolve(__dirname, '..', '..', '..', 'scripts', 'temporal-server.sh');

/** Script runs still going (a start may build the server for many minutes): ended with the run. */
const inFlight = new Set<ChildProcess>();
let closed = false;

/** scripts/temporal-server.sh <command>: the PostgreSQL-backed Temporal server the chaos run can stop and restart. */
export function temporalServer(command: 'start' | 'stop' | 'status', env: Record<string, string> = {}): Promise<{ ok: boolean; stdout: string; out: string }> {
  // Once the run is ending, nothing may start the server again behind the stop that ends it.
  if (closed && command === 'start') return Promise.resolve({ ok: false, stdout: '', out: 'the run is ending' });
  return new Promise((resolve) => {
    // Its own process group, so that ending the run can end the script and whatever it runs (go build, CLI probes).
    const child = spawn('bash', [SCRIPT, command], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    inFlight.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => killGroup(child), 30 * 60_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      inFlight.delete(child);
      // stdout carries the answer (the address on start); stderr the progress lines.
      resolve({ ok: code === 0, stdout: stdout.trim(), out: `${stdout}${stderr}`.trim() });
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      inFlight.delete(child);
      resolve({ ok: false, stdout: '', out: err.message });
    });
  });
}

/**
 * The run is ending: no more starts, and any script still running (a start
 * half-way through its build or readiness wait) is ended with its children.
 * The server itself runs in its own session (setsid): `temporalServer('stop')` ends it.
 */
export function closeTemporalControl(): void {
  closed = true;
  for (const child of inFlight) killGroup(child);
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}
