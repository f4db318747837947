import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { CliError, ExitCode } from './exit-codes';

/** Everything the CLI touches outside itself, so tests run it in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  stdin: Readable;
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
  /** The Kairos checkout this CLI runs from, where `npm start` keeps its development keys; absent in tests. */
  checkout?: string;
}

/** A text file named on the command line; one that cannot be read is a usage error (exit 2) naming it and why. */
export function readTextFile(io: Pick<CliIo, 'cwd'>, file: string): string {
  try {
    return readFileSync(path.resolve(io.cwd, file), 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder; name a file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (err as Error).message;
    throw new CliError(`${file}: ${why}`, ExitCode.usage);
  }
}
