#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { CommandContext } from '../context';
import { processOutput, settleExitCode } from '../closed-pipe';
import type { CliIo } from '../io';
import { runDemo } from './demo';

/** The repository's examples/ folder, from dist/src/cli/demo or src/cli/demo. */
function examplesDir(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'examples', 'streams'))) return path.join(dir, 'examples');
  }
  throw new Error('examples/streams not found above ' + __dirname);
}

const io: CliIo = {
  ...processOutput(),
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  home: homedir(),
};

// `npm run demo` takes no flags: KAIROS_URL/KAIROS_API_KEY, a profile (KAIROS_PROFILE), or npm start's development keys.
runDemo(new CommandContext(io, () => ({})), { examplesDir: examplesDir() }).then(
  (code) => settleExitCode(code),
  (err: unknown) => {
    process.stderr.write(`kairos demo: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
