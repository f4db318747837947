import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnKairos, withStubServer } from './test-support';

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
