import type { FileHandle } from 'node:fs/promises';
import { eventLineOf } from './event-lines';
import { unreadableFile } from './io';
import { firstNonUtf8, notUtf8Message } from './utf8';

/**
 * The longest line read as one event. Kairos takes an event's properties up
 * to MAX_EVENT_PROPERTIES_BYTES, at most 1 MiB, and its id, type and user
 * are short: a longer line is no event it takes (a JSON array of a whole
 * export on one line, say), and reading it whole would hold it in memory.
 */
export const MAX_EVENT_LINE_BYTES = 16 * 2 ** 20;

/** How much of a file is read at once. */
const CHUNK_BYTES = 2 ** 20;

/**
 * A line of an events file: its event, or its problem at `at` (`7`, or
 * `7:12` for a byte that is not UTF-8). A byte that is not UTF-8 `stops`
 * the reading: what follows it is not read as text. An event comes with
 * its line's bytes, for a later pass to tell whether the line changed.
 */
export type EventFileLine = { line: number; event: unknown; bytes: Buffer } | { at: string; problem: string; stops: boolean };

/**
 * The lines of an events file that hold an event or a problem, one at a
 * time, read in chunks (never the file whole): the memory a file takes to
 * check and send does not grow with its size. `file` is the open file, read
 * from its start (so each pass reads all of it, and a file already unlinked
 * still can be), `named` the file as the user named it; `upTo` reads only
 * that many bytes (what an earlier pass checked), and `read.bytes` counts
 * the bytes read.
 */
export async function* eventFileLines(file: FileHandle, named: string, options: { upTo?: number; read?: { bytes: number } } = {}): AsyncGenerator<EventFileLine> {
  for await (const { line, bytes } of byteLines(chunksOf(file, named, options), MAX_EVENT_LINE_BYTES)) {
    const read = lineOf(line, bytes);
    if (read !== undefined) yield read;
    if (read !== undefined && 'stops' in read && read.stops) return;
  }
}

/** One line's event or problem; undefined for a blank line or a comment. */
function lineOf(line: number, bytes: Buffer | undefined): EventFileLine | undefined {
  if (bytes === undefined) {
    return { at: String(line), problem: 'the line is more than 16 MiB, more than any event Kairos takes (its properties are at most 1 MiB): is the file JSON lines, one event a line?', stops: false };
  }
  // Checked line by line: a newline byte is never part of a longer UTF-8 sequence, so the first bad byte is on this line.
  // UTF-16 is told at the first line (its BOM, or a NUL in every other byte, which is UTF-8): said as such.
  const bad = firstNonUtf8(bytes);
  if (bad) return { at: `${line}:${bad.col}`, problem: notUtf8Message(bad), stops: true };
  const read = eventLineOf(bytes.toString('utf8'));
  if (read === undefined) return undefined;
  return 'problem' in read ? { at: String(line), problem: read.problem, stops: false } : { line, event: read.event, bytes };
}

/**
 * The file's chunks from its start, up to `upTo` bytes, each counted in
 * `read`; a file that cannot be read is said as the user named it. Read at
 * explicit positions, never through a stream: a stream closes the handle
 * when it ends, and the handle is read twice.
 */
async function* chunksOf(file: FileHandle, named: string, options: { upTo?: number; read?: { bytes: number } }): AsyncGenerator<Buffer> {
  const end = options.upTo ?? Number.POSITIVE_INFINITY;
  for (let position = 0; position < end; ) {
    const size = Math.min(CHUNK_BYTES, end - position);
    const { bytesRead, buffer } = await file.read(Buffer.allocUnsafe(size), 0, size, position).catch((err: unknown) => {
      throw typeof (err as { code?: unknown }).code === 'string' ? unreadableFile(named, err) : err;
    });
    if (bytesRead === 0) return;
    position += bytesRead;
    if (options.read) options.read.bytes += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

/**
 * Lines of bytes, split at each newline byte (a `\r` before it stays, and
 * is trimmed with the rest of the line's blanks). A line longer than `max`
 * is given without its bytes, which are not kept.
 */
export async function* byteLines(chunks: AsyncIterable<Buffer>, max: number): AsyncGenerator<{ line: number; bytes?: Buffer }> {
  let parts: Buffer[] = [];
  let size = 0;
  let line = 0;
  const add = (part: Buffer) => {
    size += part.length;
    if (size <= max) parts.push(part);
    else parts = [];
  };
  const take = () => {
    const bytes = size <= max ? Buffer.concat(parts, size) : undefined;
    parts = [];
    size = 0;
    return { line: ++line, bytes };
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let newline = chunk.indexOf(0x0a); newline >= 0; newline = chunk.indexOf(0x0a, start)) {
      add(chunk.subarray(start, newline));
      yield take();
      start = newline + 1;
    }
    add(chunk.subarray(start));
  }
  if (size > 0) yield take();
}
