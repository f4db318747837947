import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ExitCode } from './exit-codes';
import { runCli } from './program';

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const io = { stdout: (t: string) => (out += t), stderr: (t: string) => (err += t), stdin: Readable.from(['']), env: {}, cwd: process.cwd(), home: process.cwd() };
  const code = await runCli(argv, io);
  return { code, out, err };
}

describe('kairos --version', () => {
  const { version } = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };

  it.each([['--version'], ['-V']])('%s prints the version of package.json and exits 0 without calling the server', async (flag) => {
    expect(await run([flag])).toEqual({ code: ExitCode.ok, out: `${version}\n`, err: '' });
  });

  it('lists the flag in the help', async () => {
    expect((await run(['--help'])).out).toMatch(/-V, --version +print the CLI's version/);
  });
});
