import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withStubServer } from './test-support';

/**
 * Runs src/cli/main.ts in a node of its own, as `kairos` runs: TypeScript is
 * compiled on require by swc (what jest uses here), so no build is needed.
 */
const RUN_TS = `
const { transformFileSync } = require('@swc/core');
require.extensions['.ts'] = (module, file) => {
  const { code } = transformFileSync(file, { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } });
  module._compile(code, file);
};
require(process.argv[1]);
`;

const ROOT = path.join(__dirname, '..', '..');

/** The CLI's exit code and stderr when whoever reads its stdout stops after the first chunk, as `| head -1` does. */
async function readFirstChunkOnly(argv: string[]): Promise<{ code: number | null; stderr: string; firstChunk: string }> {
  // A home of its own: no profile file of the machine's is read, and swc's cache is not written into the checkout.
  const home = mkdtempSync(path.join(tmpdir(), 'kairos-cli-pipe-'));
  const child = spawn(process.execPath, ['-e', RUN_TS, path.join(ROOT, 'src/cli/main.ts'), ...argv], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: home } });
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
