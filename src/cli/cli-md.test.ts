import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from './program';

/** `kairos <argv> --help` as printed. */
async function help(argv: string[]): Promise<string> {
  let out = '';
  await runCli([...argv, '--help'], { stdout: (t) => (out += t), stderr: () => undefined, stdin: Readable.from(['']), env: {}, cwd: process.cwd(), home: process.cwd() });
  return out;
}

/** The command names a help text lists under "Commands:" (without `help`). */
const commandsIn = (text: string): string[] =>
  (text.split('Commands:\n')[1] ?? '')
    .split('\n')
    .map((l) => /^ {2}(\S+)/.exec(l)?.[1])
    .filter((c): c is string => c !== undefined && c !== 'help');

describe('docs/cli.md', () => {
  it('shows every command the CLI has', async () => {
    const docs = readFileSync(path.join(__dirname, '../../docs/cli.md'), 'utf8');
    const commands: string[] = [];
    for (const top of commandsIn(await help([]))) {
      const subs = commandsIn(await help([top]));
      if (subs.length === 0) commands.push(top);
      else commands.push(...subs.map((s) => `${top} ${s}`));
    }
    expect(commands).toContain('campaigns versions');
    expect(commands.filter((c) => !docs.includes(`kairos ${c}`))).toEqual([]);
  });

  it("names every command's flags", async () => {
    const docs = readFileSync(path.join(__dirname, '../../docs/cli.md'), 'utf8');
    const undocumented: string[] = [];
    for (const top of commandsIn(await help([]))) {
      const subs = commandsIn(await help([top]));
      for (const command of subs.length === 0 ? [[top]] : subs.map((s) => [top, s])) {
        const options = (await help(command)).split('Options:\n')[1] ?? '';
        for (const [, flag] of options.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)) {
          if (flag !== '--help' && !new RegExp(`${flag}(?![\\w-])`).test(docs)) undocumented.push(`${command.join(' ')} ${flag}`);
        }
      }
    }
    expect(undocumented).toEqual([]);
  });
});
