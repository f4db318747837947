import { ConfigError, loadConfig } from './config/config';
import { createLogger } from './logger';
import { startSystem, type RunningSystem, type SystemParts } from './system';
import { TemporalUnavailableError } from './temporal/cli-binary';

/**
 * Shared by `npm start`, `npm run api` and `npm run worker`: boot the given
 * parts, print where they are, stop everything cleanly on Ctrl-C / SIGTERM.
 */
export async function runProcess(parts: SystemParts, banner: (system: RunningSystem) => string[]): Promise<void> {
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
  let system: RunningSystem;
  try {
    system = await startSystem(config, parts, log);
  } catch (err) {
    // The launcher's errors already say what to install; print them as they are.
    console.error(err instanceof TemporalUnavailableError ? err.message : `Kairos failed to start: ${(err as Error).message}`);
    process.exit(1);
  }
  console.log(['', ...banner(system), ''].join('\n'));

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      console.error('Forced exit.');
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping Kairos (press Ctrl-C again to force)...`);
    system
      .stop()
      .then(() => process.exit(0))
      .catch((err: Error) => {
        console.error(err);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}
