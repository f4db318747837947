import fs from 'node:fs';
import path from 'node:path';
import { fileProblemReason } from './api';
import { CliError, ExitCode } from './exit-codes';
import type { CliIo } from './io';

/** Codes of a folder that refuses a new file in it (the temporary file, or the rename over the file) though the file itself may take writes. */
const FOLDER_REFUSALS = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * Writes `text` to a file named on the command line (`export -o`, `render
 * --out`). A regular file (or a new one) is written whole or not at all:
 * the text goes to a temporary file beside it, is flushed to disk, and only
 * then renamed over the file. Written in place, a full disk (ENOSPC, EDQUOT)
 * left a git-tracked campaign cut short, which may still parse as a smaller
 * campaign that a later `apply` saves. A link is followed, so the file it
 * points to is replaced (or created, when the link names a file not there
 * yet) and the link stays.
 *
 * Anything else is written in place, as a plain write always did: a device
 * (`/dev/null`), a FIFO or socket, `/dev/stdout` and `/dev/fd/N`. A rename
 * would put a regular file where the device or pipe was (as root), or fail
 * to create the temporary file in `/dev`. So is a regular file whose folder
 * refuses the temporary file (a shared folder the caller may not create
 * files in) when the file itself takes writes.
 *
 * A file that cannot be written is a usage error (exit 2, as one that cannot
 * be read), said in one line naming it and why: a file the caller may not
 * write (read-only) too, though the folder would take the rename.
 */
export function writeOutputFile(io: Pick<CliIo, 'cwd'>, file: string, text: string): void {
  const given = path.resolve(io.cwd, file);
  const found = statOf(given);
  if (isDescriptorPath(given) || found === 'unreadable' || (found !== undefined && !found.isFile() && !found.isDirectory())) {
    writeInPlace(file, given, text);
    return;
  }
  // A folder goes on to the rename too, which refuses it (EISDIR) in the words a folder gets.
  const target = linkedPath(given);
  const replaced = found?.isFile() ? found.mode & 0o7777 : undefined;
  // The rename asks the folder only: a file made read-only (chmod a-w, a file locked against edits) would be replaced,
  // where `> file` and editors refuse it. Root may write any file, so for root it is replaced, as `> file` does.
  const refused = replaced === undefined ? undefined : whyNoWrites(target);
  if (refused !== undefined) throw new CliError(`cannot write ${file}: ${refused}; ${file} is as it was`, ExitCode.usage);
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.tmp-${process.pid}`);
  try {
    writeDurably(temporary, text, replaced);
    fs.renameSync(temporary, target);
  } catch (err) {
    removeQuietly(temporary);
    if (replaced !== undefined && refusedByFolder(err) && takesWrites(target)) {
      writeInPlace(file, target, text);
      return;
    }
    const kept = replaced === undefined ? '' : `; ${file} is as it was`;
    throw new CliError(`cannot write ${file}: ${fileProblemReason(err) ?? (err as Error).message}${kept}`, ExitCode.usage);
  }
}

/**
 * What the path names, links followed: undefined when nothing is there (or a
 * link names a file not there yet), 'unreadable' when it cannot be told (a
 * link loop, a folder that may not be searched), which the write then says.
 */
function statOf(file: string): fs.Stats | 'unreadable' | undefined {
  try {
    return fs.statSync(file);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : 'unreadable';
  }
}

/**
 * A path naming an open file descriptor (`/dev/stdout`, `/dev/fd/3`, a
 * `/proc` path): what it stands for is the process's, whatever it links to
 * on disk, so it is only ever written through.
 */
function isDescriptorPath(file: string): boolean {
  return /^\/dev\/(stdin|stdout|stderr|fd\/\d+)$/.test(file) || file.startsWith('/proc/');
}

/** Writes the text through the path itself, as a plain write; the file may be left cut short if it fails midway. */
function writeInPlace(file: string, target: string, text: string): void {
  try {
    fs.writeFileSync(target, text);
  } catch (err) {
    throw new CliError(`cannot write ${file}: ${fileProblemReason(err) ?? (err as Error).message}`, ExitCode.usage);
  }
}

/** The folder refused a new file in it (or the rename), as opposed to the disk or the text. */
function refusedByFolder(err: unknown): boolean {
  const { code } = (err ?? {}) as { code?: unknown };
  return typeof code === 'string' && FOLDER_REFUSALS.has(code);
}

/** Whether the caller may write the file itself. */
function takesWrites(file: string): boolean {
  return whyNoWrites(file) === undefined;
}

/** Why the caller may not write the file itself (permission denied, a read-only filesystem), or undefined when it may. */
function whyNoWrites(file: string): string | undefined {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return undefined;
  } catch (err) {
    return fileProblemReason(err) ?? (err as Error).message;
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

/** Links in a chain, at most, before the path is taken as it is (the kernel's own limit is 40). */
const MAX_LINKS = 40;

/**
 * The file to write: the one a link names (a link to a link too, each read
 * relative to its own folder), whether it is there yet or not (a dangling
 * link), so the link stays and points to the new file; the path itself when
 * it is no link.
 */
function linkedPath(file: string): string {
  let current = file;
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    try {
      if (!fs.lstatSync(current).isSymbolicLink()) return current;
      current = path.resolve(path.dirname(current), fs.readlinkSync(current));
    } catch {
      // Nothing there: this is the file to create (a missing folder on its way is said by the write).
      return current;
    }
  }
  return current;
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
