import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { mkdtemp, open, rm, stat, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { CancelEventResponse, EventResult, PostEventsResponse } from '../../api/events/events.schemas';
import { answerOf, describeFailure, fileProblemReason, isNoSuchRoute, isUnreachable, KairosApiError, mayHaveBeenStored } from '../api';
import type { CommandContext } from '../context';
import { batchesOf, parseProperties, splitBatchPath } from '../event-lines';
import { eventFileLines } from '../event-file';
import { jsonTextProblem, LEVELS_AROUND } from '../json-text';
import { decimalNumber } from '../decimal';
import { StorableTimestamp } from '../../domain/storable';
import { ISO_TIMESTAMP } from '../../domain/time';
import { CliError, ExitCode } from '../exit-codes';
import { unreadableFile } from '../io';
import { nonEmptyFlag } from '../non-empty-flag';
import { collectFlag } from '../single-value-flags';

interface SendFlags {
  type?: string;
  user?: string;
  id?: string;
  at?: string;
  prop: string[];
  properties?: string;
  file?: string;
  batch: string;
}

type Event = Record<string, unknown>;

function eventFromFlags(flags: SendFlags): Event {
  if (!flags.type || !flags.user) throw new CliError('events send needs --type and --user (or --file with JSON lines)', ExitCode.usage);
  // Each problem names the flag it is in: --properties or --prop.
  const usage = (flag: string, run: () => void) => {
    try {
      run();
    } catch (err) {
      throw new CliError(`${flag}: ${(err as Error).message}`, ExitCode.usage);
    }
  };
  let properties: Record<string, unknown> = {};
  // `--properties "$PROPS"` with PROPS unset is no JSON object: sent as {}, the event would stand under its --id for good.
  if (flags.properties !== undefined) {
    const text = flags.properties;
    usage('--properties', () => {
      const parsed: unknown = JSON.parse(text);
      // A string or a list would be spread into {"0": ...} and sent as if it were meant.
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`must be one JSON object, e.g. '{"amount":25}', not ${Array.isArray(parsed) ? 'a list' : parsed === null ? 'null' : `a ${typeof parsed}`}`);
      const problem = jsonTextProblem(text, parsed, [], LEVELS_AROUND.properties);
      if (problem !== undefined) throw new Error(problem);
      properties = parsed as Record<string, unknown>;
    });
  }
  usage('--prop', () => {
    const props = parseProperties(flags.prop);
    const both = Object.keys(props).find((key) => Object.hasOwn(properties, key));
    if (both !== undefined) throw new Error(`${both}: also in --properties; say it once`);
    properties = { ...properties, ...props };
  });
  // Checked here: a refusal by Kairos would be a failure (1) where this is a usage mistake (2).
  if (flags.at !== undefined && !ISO_TIMESTAMP.test(flags.at)) {
    throw new CliError(`--at: "${flags.at}" is not a time with its zone: write e.g. 2026-12-01T09:00:00Z or 2026-12-01T10:00:00+01:00`, ExitCode.usage);
  }
  // The form is right; the date itself (2026-02-30) and its range are what the server would refuse.
  const at = flags.at === undefined ? undefined : StorableTimestamp.safeParse(flags.at);
  if (at && !at.success) throw new CliError(`--at: "${flags.at}" is not a real date and time (${at.error.issues[0].message})`, ExitCode.usage);
  return {
    id: flags.id ?? `cli-${randomUUID()}`,
    type: flags.type,
    userId: flags.user,
    ...(flags.at ? { occurredAt: flags.at } : {}),
    properties,
  };
}

/**
 * What events send reads of Kairos's answer: all of it (count), with an
 * event's `status` and what `differs` read as any string, so a value a newer
 * Kairos adds is printed as it came rather than taken for "not Kairos" once
 * the events were stored. Only `duplicate` is compared with.
 */
const EventsAnswer = PostEventsResponse.extend({ results: z.array(EventResult.extend({ status: z.string(), differs: z.array(z.string()).optional() })) });

/** A request body under the API's default limit (MAX_BODY_BYTES, 5 MB), with room for the envelope. */
const BATCH_BYTES = 4 * 1024 * 1024;

/** The flag an event built from flags took each field from, to name it in a refusal (properties: PropertyFlags). */
const FLAG_OF: Record<string, string> = { id: '--id', type: '--type', userId: '--user', occurredAt: '--at' };

/** Which of the property flags an event from flags was given with: --properties, and the keys of each --prop. */
interface PropertyFlags {
  properties: boolean;
  propKeys: string[];
}

function propertyFlags(flags: SendFlags): PropertyFlags {
  return { properties: flags.properties !== undefined, propKeys: flags.prop.map((pair) => pair.slice(0, pair.indexOf('='))) };
}

/**
 * The flag a refused `properties...` path (after `events[0].`) was given
 * with, and the path when it says more than the flag: `--prop note` for a
 * key of --prop, `--properties (properties.note)` for one of --properties,
 * and for the properties whole, the flags given.
 */
function propertyFlagOf(rest: string, given: PropertyFlags): { flag: string; path?: string } {
  if (rest === 'properties') {
    const flags = [given.properties ? '--properties' : undefined, given.propKeys.length ? '--prop' : undefined].filter(Boolean);
    return { flag: flags.length ? flags.join(' and ') : '--properties' };
  }
  // Paths join keys with `.` unescaped, so the longest --prop key the path starts with is the one (`a.b` before `a`).
  const key = given.propKeys
    .filter((k) => rest === `properties.${k}` || rest.startsWith(`properties.${k}.`) || rest.startsWith(`properties.${k}[`))
    .sort((a, b) => b.length - a.length)[0];
  if (key === undefined) return { flag: '--properties', path: rest };
  return rest === `properties.${key}` ? { flag: `--prop ${key}` } : { flag: `--prop ${key}`, path: rest };
}

type Batch = { line?: number; event: unknown }[];

interface Tally {
  accepted: number;
  duplicates: number;
  differing: number;
}

/** Events to send: listed, or one at a time as a file is read; how many in all; one event from flags or not. */
interface EventsToSend {
  items: Iterable<Batch[number]> | AsyncIterable<Batch[number]>;
  total: number;
  single: boolean;
  /** For one event from flags: the property flags it was given with, to name them in a refusal. */
  propertyFlags?: PropertyFlags;
}

/**
 * Sends events in batches (by count and by size); a refused batch is
 * reported by file line, whatever the status (400, 413), and the batches
 * after it are not sent. A batch refused as too large without saying which
 * event is (a server or a proxy whose body limit is below this CLI's 4 MB)
 * is sent again in halves, down to single events, said once: nothing of a
 * 413 was stored. Kairos unreachable or refusing the key stops it too,
 * saying how many were sent before, then the error goes on up. An event
 * under an id already accepted for another event is reported by line and
 * makes `ok` false, though the batches go on (nothing was refused).
 */
export async function sendEvents(ctx: CommandContext, events: Batch, batchSize: number, origin: string, propertyFlags?: PropertyFlags): Promise<Tally & { ok: boolean }> {
  return sendEventsOf(ctx, { items: events, total: events.length, single: events.length === 1 && events[0].line === undefined, propertyFlags }, batchSize, origin);
}

/** sendEvents for events that may come one at a time: each batch goes once it is full, so a file is never held whole. */
async function sendEventsOf(ctx: CommandContext, events: EventsToSend, batchSize: number, origin: string): Promise<Tally & { ok: boolean }> {
  const tally: Tally = { accepted: 0, duplicates: 0, differing: 0 };
  const said = { split: false };
  const planned = batchesOf(events.items, batchSize, { of: (e) => Buffer.byteLength(JSON.stringify(e.event)), max: BATCH_BYTES });
  try {
    for (;;) {
      const next = await planned.next().catch((err: unknown) => {
        // The input failed under the batch being made (a file changed or gone since it was checked): what went before stays sent.
        ctx.err(`stopped: ${tally.accepted + tally.duplicates} of ${events.total} event(s) sent before ${err instanceof InputChanged ? `line ${err.line}, which changed after it was checked` : `${origin} could no longer be read`}`);
        throw err;
      });
      if (next.done) return { ...tally, ok: tally.differing === 0 };
      const refused = await sendBatch(ctx, next.value, { tally, said, single: events.single, origin, total: events.total, propertyFlags: events.propertyFlags });
      if (refused) return { ...tally, ok: false };
    }
  } finally {
    // A file read as it is sent is closed when the sending stops early too (a refused batch, Kairos unreachable).
    await planned.return(undefined);
  }
}

/**
 * Sends one batch (again in halves while it is too large and the answer
 * does not say which event is): true when Kairos refused it, which stops the
 * sending. Any other failure is thrown on, once said how many went before.
 */
async function sendBatch(
  ctx: CommandContext,
  planned: Batch,
  sending: { tally: Tally; said: { split: boolean }; single: boolean; origin: string; total: number; propertyFlags?: PropertyFlags },
): Promise<boolean> {
  const { tally, single, origin, total } = sending;
  const queue = [planned];
  while (queue.length > 0) {
    const batch = queue.shift()!;
    try {
      // Every field of the answer is read (count): it is checked whole.
      const result = await answerOf(EventsAnswer, ctx.client.POST('/v1/events', { body: { events: batch.map((b) => b.event) } as never }));
      count(ctx, tally, result, { batch, single, origin, total });
    } catch (err) {
      if (batch.length > 1 && isTooLargeSaysNotWhich(err)) {
        if (!sending.said.split) ctx.err(`${origin}: ${linesOf(batch)} were more than this server takes in one request (413); sending them in smaller batches (--batch N sends fewer events a request from the start)`);
        sending.said.split = true;
        queue.unshift(...halves(batch));
        continue;
      }
      reportRefusal(ctx, err, { batch, single, origin, propertyFlags: sending.propertyFlags });
      if (!single) ctx.err(`stopped: ${tally.accepted + tally.duplicates} of ${total} event(s) sent before ${stoppedAt(err)}`);
      if (!isRefusal(err)) throw err;
      return true;
    }
  }
  return false;
}

/** Adds what Kairos answered for a batch to the tally, and says which events it did not use (an id taken by another event). */
function count(
  ctx: CommandContext,
  tally: Tally,
  result: { accepted: number; duplicates: number; results: Array<{ id: string; status: string; journeys: string[]; differs?: string[] }> },
  sent: { batch: Batch; single: boolean; origin: string; total: number },
): void {
  tally.accepted += result.accepted;
  tally.duplicates += result.duplicates;
  // An id reused for another event: that event is not used, which a script must not take for success.
  result.results.forEach((r, i) => {
    if (!r.differs?.length) return;
    tally.differing++;
    const line = sent.batch[i]?.line;
    const where = sent.single ? '' : `${line !== undefined ? `${sent.origin}:${line}` : sent.origin} `;
    ctx.err(`${where}${r.id}: already accepted as another event (${r.differs.join(', ')} ${r.differs.length === 1 ? 'differs' : 'differ'}); the first stands and this one is not used: give a new event a new id`);
  });
  if (sent.total === 1) {
    const r = result.results[0];
    // A duplicate reached its journeys when it was first accepted: "no journey" would say otherwise.
    if (!r.differs?.length) ctx.out(`${r.id}: ${r.status === 'duplicate' ? 'duplicate (already accepted; nothing sent again)' : `${r.status}${r.journeys.length ? `, journeys ${r.journeys.join(', ')}` : ', no journey'}`}`);
  }
}

/**
 * A 413 that names no event: Fastify's body limit (MAX_BODY_BYTES below
 * this CLI's 4 MB batches), or a proxy's (nginx's client_max_body_size),
 * which answers without Kairos's error body. Kairos's own size caps name
 * the event's path, and are reported as they are.
 */
function isTooLargeSaysNotWhich(err: unknown): boolean {
  return err instanceof KairosApiError && err.status === 413 && (err.body === undefined || err.body.error.details.length === 0);
}

/**
 * An answer that refused the batch, and so stored none of it: Kairos's own
 * error (other than the key, a limit, a failure, or a route the server lacks,
 * which is the URL's problem rather than the events'), or a 413 from whatever
 * is in front of it.
 */
function isRefusal(err: unknown): err is KairosApiError {
  return !isUnreachable(err) && err instanceof KairosApiError && !isNoSuchRoute(err) && (err.body !== undefined || err.status === 413);
}

/** The end of the `stopped:` line: a refused batch stored nothing; one without a readable answer, or with Kairos's own 5xx, may have been stored. */
function stoppedAt(err: unknown): string {
  if (isRefusal(err)) return 'the refused batch';
  // The CLI's own error (a connection setting it cannot use): the batch never left.
  if (err instanceof CliError) return 'the failed batch';
  // A connection that broke after sending, or a gateway that lost the answer, is "unreachable" too, but the batch went out;
  // so is Kairos's own 5xx (postgres_unavailable as the COMMIT was acknowledged, a 500), all but conflict_retry.
  // Any other error status (a route the server lacks, a key refused, a proxy's 4xx page) stored nothing.
  if ((isUnreachable(err) || err instanceof KairosApiError) && !mayHaveBeenStored(err)) return 'the failed batch';
  const mayBeStored = '(it may have been stored: sending the same events again is safe, as each counts once by its id)';
  if (err instanceof KairosApiError && err.body !== undefined) return `the batch Kairos answered with its own failure ${mayBeStored}`;
  return `the batch whose answer did not come or could not be read ${mayBeStored}`;
}

/** A batch as two, the first half first, so events still go in the order of the input. */
function halves(batch: Batch): [Batch, Batch] {
  const middle = Math.ceil(batch.length / 2);
  return [batch.slice(0, middle), batch.slice(middle)];
}

/** `lines 3 to 9` of an input, or `20 events` when they have no lines. */
function linesOf(batch: Batch): string {
  const first = batch[0]?.line;
  const last = batch[batch.length - 1]?.line;
  return first !== undefined && last !== undefined ? `lines ${first} to ${last}` : `${batch.length} events`;
}

/** What Kairos refused in a batch, each problem at its file line (or its flag, for one event from flags); nothing for an error that is not a refusal. */
function reportRefusal(ctx: CommandContext, err: unknown, sent: { batch: Batch; single: boolean; origin: string; propertyFlags?: PropertyFlags }): void {
  if (!isRefusal(err)) return;
  const { batch, single, origin } = sent;
  if (isTooLargeSaysNotWhich(err)) {
    ctx.err(`${eventAt(batch[0], single, origin)} ${tooLargeAlone(err)}`);
    return;
  }
  const details = err.body?.error.details ?? [];
  for (const d of details) {
    const at = splitBatchPath(d.path);
    if (single) {
      const field = at?.rest.split(/[.[]/)[0] ?? '';
      if (at && field === 'properties') {
        const { flag, path } = propertyFlagOf(at.rest, sent.propertyFlags ?? { properties: true, propKeys: [] });
        ctx.err(`${flag}${path ? ` (${path})` : ''}: ${d.message}`);
        continue;
      }
      ctx.err(`${FLAG_OF[field] ?? origin}${at?.rest && !FLAG_OF[at.rest] ? ` (${at.rest})` : ''}: ${d.message}`);
      continue;
    }
    const where = at && batch[at.index]?.line !== undefined ? `${origin}:${batch[at.index].line}` : origin;
    ctx.err(`${where} ${at ? at.rest || '(event)' : d.path || '(batch)'} ${d.message}`);
  }
  if (details.length === 0) ctx.err(`${origin} ${err.body?.error.message ?? `answered ${err.status}`}`);
}

/** Where one event is, as a refusal line starts: `orders.jsonl:7 (event)`, or `event:` for one event from flags. */
function eventAt(event: Batch[number] | undefined, single: boolean, origin: string): string {
  if (single || event?.line === undefined) return `${origin}:`;
  return `${origin}:${event.line} (event)`;
}

/** Why one event alone was refused as too large, and what sets the limit. */
function tooLargeAlone(err: KairosApiError): string {
  const said = err.body ? err.body.error.message.replace(/\.$/, '') : "answered 413 (too large) without Kairos's error body";
  const limit = err.body ? "Kairos's MAX_BODY_BYTES, or a proxy's limit in front of it" : "a proxy's limit in front of Kairos, such as nginx's client_max_body_size";
  return `${said}: this event alone is more than the server takes in one request (${limit}); make it smaller, or ask for a higher limit`;
}

/** The most problems of an events file said one by one; the rest are counted. */
const PROBLEMS_SAID = 1000;

/**
 * A line of an events file that changed between the check and the sending
 * (something still writes the file): the events before it went, the rest not.
 */
class InputChanged extends CliError {
  constructor(
    readonly line: number,
    origin: string,
    problem: string,
  ) {
    super(`${origin}:${line} changed after it was checked (${problem}): send the file again once nothing writes to it; the events already sent count once, by their id`, ExitCode.failure);
  }
}

/** Events whose line and digest one block of CheckedLines holds. */
const LINES_A_BLOCK = 65_536;
/** A line's number (4 bytes) and the first 8 bytes of its SHA-1. */
const LINE_RECORD_BYTES = 12;

/**
 * The event lines the first pass checked, in order: each one's line number
 * and 8 bytes of its SHA-1, 12 bytes an event (12 MB for a million), never
 * the events themselves. The second pass sends only what matches them.
 */
class CheckedLines {
  private readonly blocks: Buffer[] = [];
  count = 0;

  add(line: number, bytes: Buffer): void {
    const at = (this.count % LINES_A_BLOCK) * LINE_RECORD_BYTES;
    if (at === 0) this.blocks.push(Buffer.alloc(LINES_A_BLOCK * LINE_RECORD_BYTES));
    const block = this.blocks[this.blocks.length - 1];
    block.writeUInt32BE(line, at);
    digestOf(bytes).copy(block, at + 4);
    this.count++;
  }

  /** The line the `index`th event (from 0) was checked at. */
  lineAt(index: number): number {
    return this.record(index).readUInt32BE(0);
  }

  /** Whether the `index`th event is at `line` and reads as it was checked. */
  matches(index: number, line: number, bytes: Buffer): boolean {
    const record = this.record(index);
    return record.readUInt32BE(0) === line && digestOf(bytes).equals(record.subarray(4));
  }

  private record(index: number): Buffer {
    const at = (index % LINES_A_BLOCK) * LINE_RECORD_BYTES;
    return this.blocks[Math.floor(index / LINES_A_BLOCK)].subarray(at, at + LINE_RECORD_BYTES);
  }
}

const digestOf = (bytes: Buffer): Buffer => createHash('sha1').update(bytes).digest().subarray(0, 8);

/**
 * The first pass over an events file: every line checked (bytes that are
 * not UTF-8, lines that are not JSON or that JSON.parse would change, lines
 * that are no event, each printed as `origin:line ...`), nothing kept but
 * each event's line and digest (CheckedLines), so a partly broken file of any
 * size sends nothing. Undefined when it has problems or no event; else how
 * many events, in how many bytes, at which lines.
 */
async function checkEventFile(ctx: CommandContext, file: FileHandle, origin: string): Promise<{ total: number; bytes: number; lines: CheckedLines } | undefined> {
  const read = { bytes: 0 };
  const problems: string[] = [];
  const lines = new CheckedLines();
  let unsaid = 0;
  let total = 0;
  let stop: string | undefined;
  for await (const line of eventFileLines(file, origin, { read })) {
    if ('event' in line) {
      total++;
      lines.add(line.line, line.bytes);
    } else if (line.stops) {
      // Read with U+FFFD in its place, two different ids could become one: nothing past it is read. The problems
      // found before it are still said, so that fixing the encoding is not followed by a second run to learn of them.
      stop = `${origin}:${line.at} ${line.problem}; nothing was sent`;
      break;
    } else if (problems.length < PROBLEMS_SAID) problems.push(`${origin}:${line.at} ${line.problem}`);
    else unsaid++;
  }
  problems.forEach((p) => ctx.err(p));
  if (unsaid > 0) ctx.err(`${origin}: ${unsaid} more line(s) with problems${stop ? '' : '; nothing was sent'}`);
  if (stop !== undefined) ctx.err(stop);
  if (problems.length > 0 || stop !== undefined) return undefined;
  // `producer | kairos events send -f -` with the producer dead sends nothing: that is no success (an empty pool or source file is not either).
  if (total === 0) {
    ctx.err(`${origin}: no events (it is empty, or holds only blank lines and # comments); nothing was sent`);
    return undefined;
  }
  return { total, bytes: read.bytes, lines };
}

/**
 * The second pass: the events of the bytes the first pass checked, one at a
 * time, as they are sent. Each must be the line the first pass checked, at
 * its place: a line changed (even into another event, a blank or a comment),
 * an event more, or a file that ends early (truncated, rewritten) stops the
 * sending at the first line that differs.
 */
async function* checkedEvents(file: FileHandle, origin: string, checked: { bytes: number; lines: CheckedLines }): AsyncGenerator<{ line: number; event: unknown }> {
  const { lines } = checked;
  let index = 0;
  for await (const line of eventFileLines(file, origin, { upTo: checked.bytes })) {
    if (!('event' in line)) throw new InputChanged(Number.parseInt(line.at, 10), origin, line.problem);
    if (index >= lines.count) throw new InputChanged(line.line, origin, 'an event where none was checked');
    // A line blanked or added moves the events after it: the first of the two lines is where the file changed.
    if (!lines.matches(index, line.line, line.bytes)) throw new InputChanged(Math.min(line.line, lines.lineAt(index)), origin, 'another event, or none, now');
    index++;
    yield { line: line.line, event: line.event };
  }
  if (index < lines.count) throw new InputChanged(lines.lineAt(index), origin, 'the file ends, or holds fewer events, before it');
}

/**
 * An input that can be read once only (stdin, a pipe named as a file: `-f
 * <(producer)`) copied to a file of its own in a new temporary folder
 * (TMPDIR), for `use` to read twice as a file is. It holds users' ids and
 * properties, so nothing of it may stay behind: once written, the file is
 * opened and removed with its folder at once, and read through that handle
 * (its data goes with the process, even one killed). While it is being
 * written, SIGINT, SIGTERM and SIGHUP (Ctrl-C, a CI job's timeout, a closed
 * terminal) remove the folder before ending the command as they would.
 * It takes room on TMPDIR's filesystem: on a tmpfs, that is memory.
 */
async function withCopyInFile<T>(ctx: CommandContext, input: Readable, origin: string, use: (file: FileHandle) => Promise<T>): Promise<T> {
  const under = ctx.io.env.TMPDIR || tmpdir();
  const folder = await mkdtemp(path.join(under, 'kairos-events-')).catch((err: unknown) => {
    throw new CliError(`cannot copy ${origin} to a temporary file in ${under}: ${fileProblemReason(err) ?? (err as Error).message} (TMPDIR names where)`, ExitCode.usage);
  });
  const stopRemovingOnSignal = removedOnSignal(folder);
  let copy: FileHandle;
  try {
    const file = path.join(folder, 'events.jsonl');
    await pipeline(input, createWriteStream(file, { mode: 0o600 })).catch((err: unknown) => {
      throw new CliError(`cannot copy ${origin} to ${file}: ${fileProblemReason(err) ?? (err as Error).message}`, ExitCode.usage);
    });
    copy = await open(file, 'r');
  } finally {
    await rm(folder, { recursive: true, force: true });
    stopRemovingOnSignal();
  }
  try {
    return await use(copy);
  } finally {
    await copy.close();
  }
}

const ENDING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Until the returned function is called, each of ENDING_SIGNALS removes
 * `folder` and then is raised again, with no handler left: the command ends
 * as that signal ends it (its exit status says so to a shell or CI).
 */
function removedOnSignal(folder: string): () => void {
  const stop = () => ENDING_SIGNALS.forEach((signal) => process.off(signal, onSignal));
  function onSignal(signal: NodeJS.Signals): void {
    rmSync(folder, { recursive: true, force: true });
    stop();
    process.kill(process.pid, signal);
  }
  ENDING_SIGNALS.forEach((signal) => process.once(signal, onSignal));
  return stop;
}

/**
 * Sends the events of --file (a file, or stdin for `-`), checked whole
 * first (checkEventFile: a problem anywhere sends nothing) and then read
 * again as they are sent.
 */
async function sendEventFile(ctx: CommandContext, file: string, batchSize: number): Promise<(Tally & { ok: boolean }) | undefined> {
  const origin = file === '-' ? '(stdin)' : file;
  const send = async (readable: FileHandle) => {
    const checked = await checkEventFile(ctx, readable, origin);
    if (!checked) return undefined;
    return sendEventsOf(ctx, { items: checkedEvents(readable, origin, checked), total: checked.total, single: false }, batchSize, origin);
  };
  if (file === '-') return withCopyInFile(ctx, ctx.io.stdin, origin, send);
  const named = path.resolve(ctx.io.cwd, file);
  const kind = await stat(named).catch((err: unknown) => {
    throw unreadableFile(file, err);
  });
  if (kind.isDirectory()) throw new CliError(`${file}: is a folder; name a file`, ExitCode.usage);
  if (!kind.isFile()) return withCopyInFile(ctx, createReadStream(named), origin, send);
  const handle = await open(named, 'r').catch((err: unknown) => {
    throw unreadableFile(file, err);
  });
  try {
    return await send(handle);
  } finally {
    await handle.close();
  }
}

async function send(ctx: CommandContext, flags: SendFlags): Promise<ExitCode> {
  // The connection's settings (--url, --timeout, the key, the proxy) are checked first: a mistake in them is a usage
  // error before a file is read or stdin is copied, not one found at the first batch, once the input is used up.
  ctx.checkConnection();
  const size = decimalNumber(flags.batch);
  if (size === undefined || !Number.isInteger(size) || size < 1 || size > 1000) throw new CliError('--batch must be 1 to 1000', ExitCode.usage);
  if (flags.file) {
    // Every event comes from the file: flags for one event beside it would be quietly ignored.
    const oneEvent = (['type', 'user', 'id', 'at', 'properties'] as const).filter((f) => flags[f] !== undefined).map((f) => `--${f}`);
    if (flags.prop.length > 0) oneEvent.push('--prop');
    if (oneEvent.length > 0) throw new CliError(`--file takes every event from the file: leave out ${oneEvent.join(', ')}`, ExitCode.usage);
    const result = await sendEventFile(ctx, flags.file, size);
    if (!result) return ExitCode.failure;
    ctx.out(`${result.accepted} accepted, ${result.duplicates} duplicate(s)${result.differing ? `, ${result.differing} of them another event under a used id (above)` : ''}`);
    return result.ok ? ExitCode.ok : ExitCode.failure;
  }
  const single = eventFromFlags(flags);
  // One event from flags has its own line (or its refusal on stderr).
  const result = await sendEvents(ctx, [{ event: single }], size, 'event', propertyFlags(flags)).catch((err: unknown) => {
    // A 2xx that cannot be read took the event too, and Kairos's own 5xx may have come after its COMMIT: it may be stored under an id made up for this send.
    if (!mayHaveBeenStored(err)) throw err;
    throw sameEventAgain(ctx, err, String(single.id));
  });
  return result.ok ? ExitCode.ok : ExitCode.failure;
}

/**
 * One event from flags that may have been stored (no answer said, one this
 * CLI cannot read, or Kairos's own 5xx): the
 * command's failure, with the id it went under. Without --id that id was
 * made up for this send, and a send without it would be a second event.
 */
function sameEventAgain(ctx: CommandContext, err: unknown, id: string): CliError {
  const failure = describeFailure(err, ctx.connected);
  return new CliError(`${failure.message}; this event went as id ${id}: sent again with --id ${id}, it is counted once whatever became of this one`, failure.exitCode);
}

/**
 * What events cancel prints of Kairos's answer (readableAs), no more: an
 * older Kairos's answer without a field added since still reads as done.
 * userId (added later) only says where to see what was reclaimed, so an
 * answer without it is read, and the line leaves that out.
 */
const CancelAnswer = CancelEventResponse.pick({ alreadyCancelled: true, cancelledAt: true, reason: true, userId: true }).partial({ userId: true });

async function cancel(ctx: CommandContext, id: string, reason: string): Promise<ExitCode> {
  if (reason.trim() === '') throw new CliError('--reason: say why in words (it is kept with the cancel); spaces alone are no reason', ExitCode.usage);
  const answer = await answerOf(CancelAnswer, ctx.client.POST('/v1/events/{id}/cancel', { params: { path: { id } }, body: { reason } }));
  // Cancelling again changes nothing: say so, with the reason the first cancel gave.
  if (answer.alreadyCancelled) ctx.out(`${id}: already cancelled at ${answer.cancelledAt}${answer.reason ? ` (${answer.reason})` : ''}; nothing changed`);
  else ctx.out(`${id}: cancelled (${reason}); its journeys reclaim what it caused${answer.userId === undefined ? '' : `: see \`kairos users show ${answer.userId}\``}`);
  return ExitCode.ok;
}

export function eventsCommand(program: Command, ctx: CommandContext, run: (work: () => Promise<ExitCode>) => Promise<void>): void {
  const events = program.command('events').description('send and cancel events');
  events
    .command('send')
    .description('send one event from flags, or JSON lines from a file or stdin (--file -), in batches')
    .option('--type <type>', 'event type, e.g. order.completed')
    .option('--user <id>', 'user id')
    .option('--id <id>', 'event id (idempotency key; default: a new one each time)', nonEmptyFlag)
    .option('--at <time>', 'occurredAt, ISO 8601 with its zone, e.g. 2026-11-21T10:00:00Z (default: when received)')
    .option('--prop <key=value>', 'a property (repeatable); JSON values are parsed: amount=25.5', collectFlag, [])
    .option('--properties <json>', 'all properties as one JSON object')
    .option('-f, --file <file>', 'JSON lines, one event each; - reads stdin')
    .option('--batch <n>', 'events per request (at most 1000)', '500')
    .action((flags: SendFlags) => run(() => send(ctx, flags)));
  events
    .command('cancel <id>')
    .description('cancel an event: its rewards are reclaimed in every journey that saw it')
    .requiredOption('--reason <text>', 'why (kept with the cancel)')
    .action((id: string, opts: { reason: string }) => run(() => cancel(ctx, id, opts.reason)));
}
