import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { cachedCliPath, resolveTemporalCli, TemporalUnavailableError } from '../src/provisioning/cli-binary';
import { ConfigError } from '../src/config/config';
import { PortUnavailableError } from '../src/config/listen-error';
import { DevServerStartError, startDevServer } from '../src/provisioning/dev-server';
import { freePort } from './support/free-port';
import { eventually } from './support/system-under-test';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'kairos-launcher-'));

function script(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('the Temporal launcher explains itself when no server can be had', () => {
  it('lists everything it tried and what to install when there is no binary and no Go', async () => {
    const empty = tmp();
    const err: unknown = await resolveTemporalCli({ searchPath: empty, cacheDir: tmp() }).catch((e) => e);
    expect(err).toBeInstanceOf(TemporalUnavailableError);
    const message = (err as Error).message;
    expect(message).toContain('TEMPORAL_CLI: not set');
    expect(message).toContain('`temporal` on PATH: not found');
    expect(message).toContain('`go` on PATH: not found');
    expect(message).toContain('TEMPORAL_ADDRESS');
    expect(message).toMatch(/install Go/);
  });

  it('stops at a TEMPORAL_CLI that is no executable file, naming it, rather than run another binary or build one (review-55, finding 5)', async () => {
    const bin = tmp();
    script(bin, 'temporal', 'exit 0');
    script(bin, 'go', 'exit 1');
    const notExecutable = path.join(tmp(), 'temporal');
    writeFileSync(notExecutable, '#!/bin/sh\nexit 0\n');
    chmodSync(notExecutable, 0o644);
    for (const [cliPath, why] of [['/nonexistent/temporal', 'no such file'], [notExecutable, 'not executable'], [bin, 'not a file']]) {
      const err: unknown = await resolveTemporalCli({ cliPath, searchPath: bin, cacheDir: tmp() }).catch((e) => e);
      // A ConfigError: run-process exits 2 with its line, as for every variable loadConfig refuses.
      expect({ cliPath, err }).toEqual({ cliPath, err: expect.any(ConfigError) });
      expect((err as ConfigError).problems).toEqual([expect.stringMatching(new RegExp(`^TEMPORAL_CLI=${cliPath}: not an executable file \\(${why}\\)`))]);
    }
  });

  it('reports a failed Go build with the compiler output', async () => {
    const bin = tmp();
    script(bin, 'go', 'echo "go: module lookup disabled" >&2; exit 1');
    const err: unknown = await resolveTemporalCli({ searchPath: bin, cacheDir: tmp() }).catch((e) => e);
    expect(err).toBeInstanceOf(TemporalUnavailableError);
    expect((err as Error).message).toMatch(/go install .*exited with 1: go: module lookup disabled/);
  });

  it('finds TEMPORAL_CLI first, then PATH, then the cache', async () => {
    const bin = tmp();
    const onPath = script(bin, 'temporal', 'exit 0');
    const explicit = script(tmp(), 'my-temporal', 'exit 0');
    expect(await resolveTemporalCli({ cliPath: explicit, searchPath: bin, cacheDir: tmp() })).toBe(explicit);
    expect(await resolveTemporalCli({ searchPath: bin, cacheDir: tmp() })).toBe(onPath);
    const cacheDir = tmp();
    const cached = cachedCliPath(cacheDir);
    const cachedDir = path.dirname(cached);
    mkdirSync(cachedDir, { recursive: true });
    script(cachedDir, 'temporal', 'exit 0');
    expect(await resolveTemporalCli({ searchPath: tmp(), cacheDir, allowBuild: false })).toBe(cached);
  });

  it('says what the server printed when it exits at start', async () => {
    const binary = script(tmp(), 'temporal', 'echo "unknown flag: --port" >&2; exit 3');
    const err: unknown = await startDevServer({ binary, port: await freePort(), uiPort: await freePort(), namespace: 'default' }).catch((e) => e);
    expect(err).toBeInstanceOf(DevServerStartError);
    expect((err as Error).message).toMatch(/exited with code 3:\s+unknown flag: --port/);
  });

  it('does not hang on a server that never answers', async () => {
    const binary = script(tmp(), 'temporal', 'exec sleep 30');
    const started = Date.now();
    const err: unknown = await startDevServer({ binary, port: await freePort(), uiPort: await freePort(), namespace: 'default', startTimeoutMs: 1500 }).catch((e) => e);
    expect(err).toBeInstanceOf(DevServerStartError);
    expect((err as Error).message).toContain('did not answer within 1500 ms');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('says so when its dev server exits after it started, and not when it was stopped', async () => {
    const binary = process.env.TEMPORAL_CLI;
    if (!binary) throw new Error('TEMPORAL_CLI is not set (the global setup sets it)');
    const said: string[] = [];
    const start = async () => {
      const port = await freePort();
      const server = await startDevServer({ binary, port, uiPort: await freePort(), namespace: 'default', ui: false, onUnexpectedExit: (line) => said.push(line) });
      return { port, server };
    };
    const killed = await start();
    // Killed from outside (the OOM killer, a person): nothing in Kairos asked for it.
    // Found by its command line in /proc (no pkill: a fresh machine may lack procps).
    const pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d) && (() => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ').includes(`start-dev --ip 127.0.0.1 --port ${killed.port} `);
      } catch {
        return false;
      }
    })());
    expect(pids).toHaveLength(1);
    process.kill(Number(pids[0]), 'SIGKILL');
    await eventually(async () => (said.length > 0 ? true : undefined), 20_000);
    expect(said).toEqual([expect.stringMatching(new RegExp(`^The Temporal dev server on 127\\.0\\.0\\.1:${killed.port} exited \\(signal SIGKILL\\) and nothing restarts it`))]);
    const stopped = await start();
    await stopped.server.stop();
    await new Promise((r) => setTimeout(r, 500));
    expect(said).toHaveLength(1);
  }, 60_000);

  it('refuses a port that is taken, naming the variables to change', async () => {
    const server = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as net.AddressInfo;
    try {
      const err: unknown = await startDevServer({ binary: '/bin/false', port, uiPort: 1, namespace: 'default' }).catch((e) => e);
      expect(err).toBeInstanceOf(PortUnavailableError);
      expect((err as Error).message).toContain(`Port ${port} is already in use`);
      expect((err as Error).message).toContain('TEMPORAL_DEV_PORT');
    } finally {
      server.close();
    }
  });

  it('refuses a taken UI port naming TEMPORAL_UI_PORT, and starts nothing (review-55, finding 4)', async () => {
    const server = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port: uiPort } = server.address() as net.AddressInfo;
    try {
      // /bin/false would fail as a DevServerStartError, were it run.
      const err: unknown = await startDevServer({ binary: '/bin/false', port: await freePort(), uiPort, namespace: 'default' }).catch((e) => e);
      expect(err).toBeInstanceOf(PortUnavailableError);
      expect((err as Error).message).toBe(`port ${uiPort} (TEMPORAL_UI_PORT) is already in use: stop what listens there, or set TEMPORAL_UI_PORT to a free port`);
    } finally {
      server.close();
    }
  });
});
