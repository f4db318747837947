import { fileProblemReason } from './api';
import { ExitCode } from './exit-codes';
import type { CliIo } from './io';

/** A closed pipe: the reader went away (`| head`), or the stream was destroyed for that. */
const isClosedPipe = (err: NodeJS.ErrnoException): boolean => err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED';

/**
 * A writer for process.stdout or stderr that drops what it is given once the
 * reader has gone: `kairos pools list --json | head -2` closes the pipe, and
 * the next write fails with EPIPE. Unheard, that 'error' crashed the CLI with
 * a stack trace and exit 1, failing a CI step under `set -o pipefail`.
 * The command is not stopped: `campaigns apply dir | head -1` still applies
 * every file, and its exit code still says whether they all went in; only
 * output nobody reads is lost.
 *
 * Any other failure (`export > /mnt/full/spring.yaml`: ENOSPC; EIO) is told
 * to `onFailure`, once, and nothing more is written to that stream: it used
 * to be thrown from the 'error' handler, an uncaught exception with a stack.
 */
export function closedPipeSafe(stream: NodeJS.WritableStream, onFailure: (err: NodeJS.ErrnoException) => void = () => undefined): (text: string) => void {
  let closed = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (closed) return;
    closed = true;
    if (!isClosedPipe(err)) onFailure(err);
  });
  return (text) => {
    // The stream is destroyed at once, its 'error' comes a tick later: writes in between are dropped too.
    if (!closed && stream.writable) stream.write(text);
  };
}

/** The one line for output that could not be written: `kairos: cannot write stdout: no space left on the device (ENOSPC)`. */
export function cannotWriteLine(name: string, err: NodeJS.ErrnoException): string {
  const reason = fileProblemReason(err);
  return `kairos: cannot write ${name}: ${reason === undefined ? (err.code ?? err.message) : `${reason} (${String(err.code)})`}\n`;
}

/**
 * The process's stdout and stderr for the CLI. Output that cannot be written
 * (a full disk, EIO) ends the process with exit 2, as a file `-o` cannot
 * write does, unless the command already failed with its own code: a
 * script must not take `kairos campaigns export c > c.yaml` on a full disk
 * for done. The command itself runs on (it may be an apply).
 */
export function processOutput(): Pick<CliIo, 'stdout' | 'stderr'> {
  const outputFailed = (): void => {
    if (!process.exitCode) process.exitCode = ExitCode.usage;
  };
  const stderr = closedPipeSafe(process.stderr, outputFailed);
  const stdout = closedPipeSafe(process.stdout, (err) => {
    stderr(cannotWriteLine('stdout', err));
    outputFailed();
  });
  return { stdout, stderr };
}

/** The exit code of a command run, kept as it is unless it is 0 and the output could not be written (processOutput). */
export function settleExitCode(code: ExitCode): void {
  if (code !== ExitCode.ok || !process.exitCode) process.exitCode = code;
}
