import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isPortOpen } from '../src/temporal/dev-server';
import { freePort } from './support/free-port';

const root = path.join(__dirname, '..');

/**
 * `npm start` as a user runs it: the built system on embedded defaults (its
 * own Temporal dev server with UI, the local PostgreSQL), a banner with the
 * addresses and generated keys, and Ctrl-C stopping the whole process tree.
 */
describe('npm start', () => {
  beforeAll(() => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
  }, 300_000);

  it('runs everything, prints where it is, and stops cleanly on SIGINT', async () => {
    const [port, temporalPort, uiPort, metricsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        TEMPORAL_DEV_PORT: String(temporalPort),
        TEMPORAL_UI_PORT: String(uiPort),
        WORKER_METRICS_PORT: String(metricsPort),
        KAIROS_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'kairos-start-')),
        API_KEYS: '',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      for (let i = 0; i < 240 && !output.includes('Kairos is running.'); i++) await new Promise((r) => setTimeout(r, 250));
      expect(output).toContain('Kairos is running.');
      expect(output).toContain(`http://localhost:${port}/docs`);
      expect(output).toContain(`Temporal UI:  http://127.0.0.1:${uiPort}`);
      const ingestKey = /ingest\s+(dev-ingest-\w+)/.exec(output)?.[1];
      expect(ingestKey).toBeDefined();

      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      const accepted = await fetch(`http://127.0.0.1:${port}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: `start-${Date.now()}`, type: 'app.opened', userId: 'u-1' }),
      });
      expect(accepted.status).toBe(202);
      expect((await fetch(`http://127.0.0.1:${uiPort}/`)).status).toBe(200);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(await isPortOpen(temporalPort)).toBe(false);
    expect(await isPortOpen(port)).toBe(false);
  }, 180_000);
});
