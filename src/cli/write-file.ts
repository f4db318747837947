import fs from 'node:fs';
import path from 'node:path';
import { fileProblemReason } from './api';
import { CliError, ExitCode } from './exit-codes';
import type { CliIo } from './io';

/**
 * Writes `text` to a file named on the command line (`export -o`, `render
 * --out`), whole or not at all. The text goes to a temporary file beside it,
 * is flushed to disk, and only then renamed over the file: written in place,
 * a full disk (ENOSPC, EDQUOT) left a git-tracked campaign cut short, which
 * may still parse as a smaller campaign that a later `apply` saves. A link is
 * followed, so the file it points to is replaced and the link stays.
 *
 * A file that cannot be written is a usage error (exit 2, as one that cannot
 * be read), said in one line naming it and why.
 */
export function writeOutputFile(io: Pick<CliIo, 'cwd'>, file: string, text: string): void {
  const target = followLink(path.resolve(io.cwd, file));
  const replaced = modeOfFile(target);
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.tmp-${process.pid}`);
  try {
    writeDurably(temporary, text, replaced);
    fs.renameSync(temporary, target);
  } catch (err) {
    removeQuietly(temporary);
    const kept = replaced === undefined ? '' : `; ${file} is as it was`;
    throw new CliError(`cannot write ${file}: ${fileProblemReason(err) ?? (err as Error).message}${kept}`, ExitCode.usage);
  }
}

/** Removes what was written of the temporary file; a folder that refuses even that has nothing of it to remove. */
function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Nothing was created there.
  }
}

/** The file a link points to (a link to a link too); the path itself when it is no link or not there yet. */
function followLink(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/** The permissions of the file to be replaced, so the rename keeps them; undefined when there is no such file. */
function modeOfFile(file: string): number | undefined {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() ? stat.mode & 0o7777 : undefined;
  } catch {
    return undefined;
  }
}

/** A new file holding `text`, on disk before it is renamed: after a crash, the file is the old one or the new one, whole. */
function writeDurably(file: string, text: string, keepMode: number | undefined): void {
  // 'wx': a file left there by a run killed midway is removed, not followed or reused.
  fs.rmSync(file, { force: true });
  const fd = fs.openSync(file, 'wx');
  try {
    // A new file gets the usual permissions (umask); one replaced keeps its own.
    if (keepMode !== undefined) fs.fchmodSync(fd, keepMode);
    const bytes = Buffer.from(text, 'utf8');
    for (let written = 0; written < bytes.length; ) written += fs.writeSync(fd, bytes, written, bytes.length - written);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
