import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { CliError, ExitCode } from './exit-codes';
import { firstNonUtf8, notUtf8Message } from './utf8';

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

/** A file named on the command line, as bytes; one that cannot be read is a usage error (exit 2) naming it and why. */
export function readFileBytes(io: Pick<CliIo, 'cwd'>, file: string): Buffer {
  try {
    return readFileSync(path.resolve(io.cwd, file));
  } catch (err) {
    throw unreadableFile(file, err);
  }
}

/** Why a file named on the command line (`file`, as it was named) could not be read: a usage error (exit 2). */
export function unreadableFile(file: string, err: unknown): CliError {
  const code = (err as { code?: unknown }).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder; name a file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (err as Error).message;
  return new CliError(`${file}: ${why}`, ExitCode.usage);
}

/**
 * A text file named on the command line. Bytes that are not UTF-8 are a
 * failure (exit 1) at `file:line:col`, never replaced (see firstNonUtf8).
 */
export function readTextFile(io: Pick<CliIo, 'cwd'>, file: string): string {
  return strictUtf8(file, readFileBytes(io, file));
}

/** `bytes` as text, or a failure (exit 1) naming `origin:line:col` and the first byte that is not UTF-8. */
export function strictUtf8(origin: string, bytes: Buffer): string {
  const bad = firstNonUtf8(bytes);
  if (bad) throw new CliError(`${origin}:${bad.line}:${bad.col} ${notUtf8Message(bad)}`, ExitCode.failure);
  return bytes.toString('utf8');
}
