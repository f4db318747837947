import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { CommandContext } from '../context';
import { ExitCode } from '../exit-codes';
import { kairosError, withStubServer, type StubAnswer, type StubRequest } from '../test-support';
import { runDemo } from './demo';

// Review 63 (CLI), finding 7: the console link was `new URL('/console', url)`, whose absolute path replaced the URL's
// own, so a Kairos behind a gateway's path prefix was shown at the gateway's root.
describe('npm run demo: where to look', () => {
  let examples: string;
  beforeEach(() => {
    // No streams: the demo goes straight to its template play and to where to look.
    examples = mkdtempSync(path.join(tmpdir(), 'kairos-cli-demo-'));
    mkdirSync(path.join(examples, 'streams'));
  });
  afterEach(() => rmSync(examples, { recursive: true, force: true }));

  /** A Kairos under `prefix` on the stub: an admin key, and no template (so the play is skipped). */
  const underPrefix =
    (prefix: string) =>
    (req: StubRequest): StubAnswer => {
      if (!req.path.startsWith(`${prefix}/v1/`)) return { status: 404, body: kairosError('not_found', `Cannot ${req.method} ${req.path}`) };
      if (req.path === `${prefix}/v1/whoami`) return { status: 200, body: { role: 'admin', may: ['ingest', 'support', 'operator', 'admin'] } };
      return { status: 404, body: kairosError('not_found', 'No template sign-in-streak.') };
    };

  it("prints the console under the URL's path prefix", async () => {
    await withStubServer(underPrefix('/kairos-staging'), async (url) => {
      let out = '';
      let err = '';
      const io = { stdout: (t: string) => (out += t), stderr: (t: string) => (err += t), stdin: Readable.from(['']), env: {}, cwd: examples, home: examples };
      const code = await runDemo(new CommandContext(io, () => ({ url: `${url}/kairos-staging`, apiKey: 'k' })), { examplesDir: examples, waitMs: 0 });
      expect({ code, err }).toEqual({ code: ExitCode.ok, err: '' });
      expect(out).toContain(`\nconsole:     ${url}/kairos-staging/console\n`);
    });
  });
});
