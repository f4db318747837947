import { EventEmitter } from 'node:events';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cannotWriteLine, closedPipeSafe } from './closed-pipe';
import { ExitCode } from './exit-codes';
import { spawnKairos, spawnKairosWithStdout, withStubServer } from './test-support';

/** The CLI's exit code and stderr when whoever reads its stdout stops after the first chunk, as `| head -1` does. */
async function readFirstChunkOnly(argv: string[]): Promise<{ code: number | null; stderr: string; firstChunk: string }> {
  const home = mkdtempSync(path.join(tmpdir(), 'kairos-cli-pipe-'));
  const child = spawnKairos(argv, { home });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  let firstChunk = '';
  child.stdout.once('data', (c: Buffer) => {
    firstChunk = c.toString();
    // The reader goes away: the CLI's next write meets a closed pipe (EPIPE).
    child.stdout.destroy();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  rmSync(home, { recursive: true, force: true });
  return { code, stderr, firstChunk };
}

describe('output piped into a reader that stops early, as `kairos pools list --json | head` (review 44, finding 3)', () => {
  it('ends as the command does (exit 0), without "write EPIPE" and a stack trace', async () => {
    const pools = Array.from({ length: 5000 }, (_, i) => ({ key: `pool-${i}`, kind: 'points', name: null, currency: null, perUserLimit: null, validFor: null, budget: 100, used: 0, left: 100, codes: null }));
    await withStubServer(
      () => ({ status: 200, body: { pools, total: pools.length } }),
      async (url) => {
        const { code, stderr, firstChunk } = await readFirstChunkOnly(['--url', url, '--api-key', 'k', 'pools', 'list', '--json']);
        expect(firstChunk).toMatch(/^\{\n {2}"pools": \[/);
        expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      },
    );
  }, 30_000);
});

// Review 57 (CLI), finding 4: any other failure to write stdout was thrown from the 'error' handler, a stack trace.
describe('output that cannot be written, other than a closed pipe', () => {
  it('is told once to onFailure, does not throw, and nothing more is written to that stream', () => {
    const stream = Object.assign(new EventEmitter(), { writable: true, write: jest.fn() });
    const onFailure = jest.fn();
    const write = closedPipeSafe(stream as unknown as NodeJS.WritableStream, onFailure);
    write('a');
    const eio = Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
    expect(() => stream.emit('error', eio)).not.toThrow();
    expect(() => stream.emit('error', eio)).not.toThrow();
    write('b');
    expect({ failures: onFailure.mock.calls, written: stream.write.mock.calls }).toEqual({ failures: [[eio]], written: [['a']] });
    expect(cannotWriteLine('stdout', eio)).toBe('kairos: cannot write stdout: EIO\n');
  });

  it('a closed pipe is still no failure', () => {
    const stream = Object.assign(new EventEmitter(), { writable: true, write: jest.fn() });
    const onFailure = jest.fn();
    closedPipeSafe(stream as unknown as NodeJS.WritableStream, onFailure);
    stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(onFailure).not.toHaveBeenCalled();
  });

  it('`kairos campaigns export c > /mnt/full/c.yaml` ends with one line on stderr, exit 2, no stack trace', async () => {
    const stored = { key: 'c', name: 'C' };
    const version = { version: 1, createdAt: '2026-11-01T00:00:00.000Z', activatedAt: null, layout: null };
    await withStubServer(
      (req) =>
        req.path === '/v1/campaigns/c/versions'
          ? { status: 200, body: { key: 'c', name: 'C', status: 'draft', activeVersion: null, latestVersion: 1, createdAt: 'c', updatedAt: 'u', versions: [version] } }
          : { status: 200, body: { key: 'c', ...version, definition: stored } },
      async (url) => {
        const home = mkdtempSync(path.join(tmpdir(), 'kairos-cli-full-'));
        // /dev/full answers every write with ENOSPC, as a full disk does.
        const full = openSync('/dev/full', 'w');
        try {
          const child = spawnKairosWithStdout(['--url', url, '--api-key', 'k', 'campaigns', 'export', 'c'], { home, stdout: full });
          let stderr = '';
          child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
          const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
          expect({ code, stderr }).toEqual({ code: ExitCode.usage, stderr: 'kairos: cannot write stdout: no space left on the device (ENOSPC)\n' });
        } finally {
          closeSync(full);
          rmSync(home, { recursive: true, force: true });
        }
      },
    );
  }, 30_000);
});
