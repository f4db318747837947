import { constants as osConstants } from 'node:os';
import { ConfigError, loadConfig } from './config/config';
import { createLogger } from './logger';
import { MissingAddressError, startSystem, type RunningSystem, type SystemParts } from './system';
import { TemporalUnavailableError } from './provisioning/cli-binary';
import { PortUnavailableError } from './config/listen-error';

/**
 * Shared by `npm start`, `npm run api` and `npm run worker`: boot the given
 * parts, print where they are, stop everything cleanly on Ctrl-C / SIGTERM.
 */
export async function runProcess(parts: SystemParts, banner: (system: RunningSystem) => string[]): Promise<void> {
  // Last line of defence: a promise nobody awaited fails the process with a reason, never silently.
  process.on('unhandledRejection', (reason) => {
    console.error(`Kairos is stopping: unhandled rejection (${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)})`);
    process.exit(1);
  });
  let config;
  try {
    config = loadConfig(process.env, parts);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  // `npm start` talks to a person (its banner carries the development keys); `npm run api` and `npm run worker` with
  // stdout captured (a container, a service manager) write only the logger's JSON lines there, at LOG_LEVEL.
  const toPerson = parts.embedded || process.stdout.isTTY === true;
  const say = (text: string) => (toPerson ? console.log(text) : log.info(text.trim()));
  let system: RunningSystem | undefined;
  let stopping = false;
  // Ctrl-C is a person at a terminal; SIGTERM is an orchestrator or `kill`, which sends it again to force; SIGHUP is
  // the terminal closing. Taken from the start: a signal during the boot exits (this process's exit handlers stop the
  // Temporal dev server and the embedded PostgreSQL started so far), instead of Node ending the process without them.
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error('Forced exit.');
      process.exit(130);
    }
    stopping = true;
    const running = system;
    if (!running) {
      console.error(`\n${signal}: Kairos stops before it finished starting.`);
      process.exit(128 + (osConstants.signals[signal] ?? 0));
    }
    say(`\n${signal}: stopping Kairos (${signal === 'SIGINT' ? 'press Ctrl-C again' : 'send SIGTERM, SIGINT or SIGHUP again'} to force)...`);
    running
      .stop()
      .then(() => process.exit(0))
      .catch((err: Error) => {
        console.error(err);
        process.exit(1);
      });
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal));
  try {
    system = await startSystem(config, parts, log);
  } catch (err) {
    // A missing address, a namespace Temporal lacks or a port that cannot be listened on is configuration,
    // like the variables loadConfig refuses: exit code 2.
    if (err instanceof MissingAddressError || err instanceof ConfigError || err instanceof PortUnavailableError) {
      console.error(err.message);
      process.exit(2);
    }
    // The launcher's errors already say what to install; print them as they are. Not every rejection is an Error.
    console.error(err instanceof TemporalUnavailableError ? err.message : `Kairos failed to start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  const started = system;
  if (toPerson) console.log(['', ...banner(started), ''].join('\n'));
  else log.info({ banner: banner(started).filter((line) => line.trim() !== '') }, 'Kairos is running');

  // A part that fails after boot (the worker's run) stops the whole process with a reason and a non-zero exit.
  void started.failed.then((err) => {
    if (stopping) return;
    stopping = true;
    const why = describeFailure(err);
    log.fatal({ err }, `Kairos is stopping: the worker failed (${why})`);
    console.error(`Kairos is stopping: the worker failed (${why})`);
    started
      .stop()
      .catch((stopErr: Error) => log.warn({ err: stopErr }, 'error while stopping'))
      .finally(() => process.exit(1));
  });
}

/** The error and its causes in one line: the SDK wraps the poller's error in its own. */
function describeFailure(err: Error): string {
  const parts: string[] = [];
  for (let e: unknown = err; e instanceof Error && parts.length < 4; e = e.cause) parts.push(e.message);
  return parts.join(': caused by ');
}
