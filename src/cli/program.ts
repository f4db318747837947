import { Command, CommanderError } from 'commander';
import { describeFailure } from './api';
import { campaignsCommand } from './commands/campaigns';
import { eventsCommand } from './commands/events';
import { poolsCommand } from './commands/pools';
import { readCommands } from './commands/reads';
import { sourcesCommand } from './commands/sources';
import { templatesCommand } from './commands/templates';
import { kairosVersion } from '../config/kairos-package';
import { DEFAULT_TIMEOUT_SECONDS } from './connection';
import { CommandContext, type GlobalOptions } from './context';
import { ExitCode } from './exit-codes';
import type { CliIo } from './io';
import { refuseRepeatedFlags } from './single-value-flags';

const EXIT_CODES_HELP = `
\`kairos --version\` (or -V) prints the CLI's version.

Connection (first found wins): --url/--api-key; --profile (or KAIROS_PROFILE) from
the profile file (KAIROS_CONFIG, else $XDG_CONFIG_HOME/kairos/config.yaml, else ~/.config/kairos/config.yaml); KAIROS_URL and
KAIROS_API_KEY; the file's \`current\` profile; http://127.0.0.1:3000 with the admin key
that \`npm start\` keeps in .kairos/dev-api-keys.json. Through the proxy HTTPS_PROXY (https URLs) or HTTP_PROXY
names, unless NO_PROXY names the host; never for a URL on this machine.

Exit codes: 0 done; 1 refused or invalid (validation errors, not found, conflict);
2 usage or configuration (or no such route at the URL, or a URL that redirects); 3 Kairos cannot be used: unreachable,
no answer within --timeout (or the connection lost after sending, or a 5xx without Kairos's error body from a gateway
or proxy in front of it: what was sent may still take effect), the key refused (401) or not allowed (403), too many
requests (429), failing (5xx), or what answers is not Kairos;
4 apply would change something (campaigns diff --exit-code).`;

/** Arguments that name files, where "." is the current folder. */
const FILE_ARGUMENTS = new Set(['file', 'file|dir']);

/** The global options that take a value, as `--url x` or `--url=x`. */
const GLOBAL_WITH_VALUE = ['--url', '--api-key', '--profile', '--timeout'];

/** argv without the global options (and their values) and --json: what is left names the command. */
function withoutGlobalOptions(argv: readonly string[]): string[] {
  const left: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json' || GLOBAL_WITH_VALUE.some((o) => a.startsWith(`${o}=`))) continue;
    if (GLOBAL_WITH_VALUE.includes(a)) {
      i++;
      continue;
    }
    left.push(a);
  }
  return left;
}

/** Runs one command line (argv without node and the script) and gives back its exit code; never exits the process. */
export async function runCli(argv: string[], io: CliIo): Promise<ExitCode> {
  // Not commander's .version(): it would take every `--version <n>` of the subcommands (funnel, diff, export).
  // Global options may stand beside it (`kairos --profile prod --version`): they change nothing about the version.
  const bare = withoutGlobalOptions(argv);
  if (bare.length === 1 && (bare[0] === '--version' || bare[0] === '-V')) {
    io.stdout(`${kairosVersion()}\n`);
    return ExitCode.ok;
  }
  const program = new Command('kairos');
  const ctx = new CommandContext(io, () => program.opts<GlobalOptions>());
  let code: ExitCode = ExitCode.ok;
  const run = async (work: () => Promise<ExitCode>): Promise<void> => {
    try {
      code = await work();
    } catch (err) {
      const failure = describeFailure(err, ctx.connected);
      ctx.err(`kairos: ${failure.message}`);
      code = failure.exitCode;
    }
  };
  program
    .description('Kairos from the command line: campaigns as code, templates, pools, event sources, events, journeys, users, funnels.')
    .option('--url <url>', 'the Kairos API, e.g. http://127.0.0.1:3000')
    .option('--api-key <key>', 'an API key (prefer KAIROS_API_KEY or a profile: flags show in process lists)')
    .option('--profile <name>', 'a profile from the profile file')
    .option('--timeout <seconds>', `seconds each request waits for Kairos's answer (default ${DEFAULT_TIMEOUT_SECONDS}; 0: no limit; KAIROS_TIMEOUT)`)
    .option('--json', 'print what the API answered, as JSON (show and list commands, campaigns versions, funnel, pools top-up, sources delete)')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  // An empty argument ("" from an unset shell variable) would name no user, pool or event: say so before asking Kairos.
  // One of spaces is sent as it is: Kairos stores such ids (an event's userId or id from a file or a broker), and
  // `users show`, `journeys show` and `events cancel` must reach them (a key of spaces, which Kairos never stores, is its to answer).
  program.hook('preAction', (_program, action) => {
    action.registeredArguments.forEach((arg, i) => {
      const value: unknown = action.processedArgs[i];
      if (value === '') action.error(`error: <${arg.name()}> must not be empty`, { exitCode: ExitCode.usage, code: 'kairos.emptyArgument' });
      // A key or id of "." or ".." would vanish from the URL (`users show ..` asked for another route): Kairos stores none.
      if (!FILE_ARGUMENTS.has(arg.name()) && (value === '.' || value === '..')) {
        action.error(`error: <${arg.name()}> cannot be "${value}": Kairos takes no such key or id (URL paths drop those segments)`, { exitCode: ExitCode.usage, code: 'kairos.dotArgument' });
      }
    });
  });
  campaignsCommand(program, ctx, run);
  poolsCommand(program, ctx, run);
  eventsCommand(program, ctx, run);
  readCommands(program, ctx, run);
  templatesCommand(program, ctx, run);
  sourcesCommand(program, ctx, run);
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  // A flag that takes one value, given twice, is refused rather than the last quietly kept (--prop, --set and --codes collect).
  refuseRepeatedFlags(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version "errors" are how commander ends after printing them.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    throw err;
  }
  return code;
}
