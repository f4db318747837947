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

  it('says so in the help', async () => {
    expect((await run(['--help'])).out).toContain("`kairos --version` (or -V) prints the CLI's version.");
  });

  it("leaves the subcommands' own --version <n> to them", async () => {
    const funnel = await run(['funnel', 'some-campaign', '--version', 'x']);
    expect({ code: funnel.code, err: funnel.err }).toEqual({ code: ExitCode.usage, err: expect.stringContaining("option '--version <n>' argument 'x' is invalid") });
  });
});
