/**
 * A writer for process.stdout or stderr that drops what it is given once the
 * reader has gone: `kairos pools list --json | head -2` closes the pipe, and
 * the next write fails with EPIPE. Unheard, that 'error' crashed the CLI with
 * a stack trace and exit 1, failing a CI step under `set -o pipefail`.
 * The command is not stopped: `campaigns apply dir | head -1` still applies
 * every file, and its exit code still says whether they all went in; only
 * output nobody reads is lost.
 */
export function closedPipeSafe(stream: NodeJS.WritableStream): (text: string) => void {
  let closed = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    // Any other failure of the terminal or file written to is as fatal as it was.
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
    closed = true;
  });
  return (text) => {
    // The stream is destroyed at once, its 'error' comes a tick later: writes in between are dropped too.
    if (!closed && stream.writable) stream.write(text);
  };
}
