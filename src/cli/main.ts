#!/usr/bin/env node
import { homedir } from 'node:os';
import { kairosPackageRoot } from '../config/kairos-package';
import { processOutput, settleExitCode } from './closed-pipe';
import { runCli } from './program';

/**
 * Where file names are read from: the folder the user is in. `npm run
 * kairos` runs this in the checkout's root, and says in INIT_CWD where npm
 * was started; anything else runs it where the user is.
 */
function userFolder(): string {
  const fromNpm = process.env.INIT_CWD;
  return fromNpm && process.cwd() === kairosPackageRoot() ? fromNpm : process.cwd();
}

runCli(process.argv.slice(2), {
  ...processOutput(),
  stdin: process.stdin,
  env: process.env,
  cwd: userFolder(),
  checkout: kairosPackageRoot(),
  home: homedir(),
}).then(
  (code) => settleExitCode(code),
  (err: unknown) => {
    process.stderr.write(`kairos: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
