import { execFile } from 'node:child_process';
import path from 'node:path';

const SCRIPT = path.resolve(__dirname, '..', '..', '..', 'scripts', 'temporal-server.sh');

/** scripts/temporal-server.sh <command>: the PostgreSQL-backed Temporal server the chaos run can stop and restart. */
export function temporalServer(command: 'start' | 'stop' | 'status', env: Record<string, string> = {}): Promise<{ ok: boolean; stdout: string; out: string }> {
  return new Promise((resolve) => {
    execFile('bash', [SCRIPT, command], { env: { ...process.env, ...env }, timeout: 30 * 60_000 }, (err, stdout, stderr) => {
      // stdout carries the answer (the address on start); stderr the progress lines.
      resolve({ ok: !err, stdout: stdout.trim(), out: `${stdout}${stderr}`.trim() });
    });
  });
}
