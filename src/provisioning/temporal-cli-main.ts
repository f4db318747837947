#!/usr/bin/env node
/**
 * `npm run -s temporal -- <args>`: the Temporal CLI that `npm start` uses
 * (TEMPORAL_CLI, `temporal` on PATH, or the one it built into the cache),
 * for the commands the docs give (`schedule trigger`, `workflow show`). It
 * talks to the server Kairos is configured for: TEMPORAL_ADDRESS, else
 * `npm start`'s dev server on TEMPORAL_DEV_PORT, unless `--address` is given.
 */
import { spawn } from 'node:child_process';
import { loadConfig } from '../config/config';
import { resolveTemporalCli } from './cli-binary';

async function main(args: string[]): Promise<void> {
  const config = loadConfig();
  const binary = await resolveTemporalCli({ cliPath: config.temporal.cliPath, cacheDir: config.cacheDir, log: (line) => process.stderr.write(`${line}\n`) });
  const address = config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`;
  const env = { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: config.temporal.namespace };
  const child = spawn(binary, args, { stdio: 'inherit', env });
  await new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      process.exitCode = code ?? (signal ? 1 : 0);
      resolve();
    });
    child.on('error', (err) => {
      process.stderr.write(`temporal: ${err.message}\n`);
      process.exitCode = 1;
      resolve();
    });
  });
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`temporal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
