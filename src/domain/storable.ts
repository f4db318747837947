/**
 * Values that JSON and zod accept but PostgreSQL (or Temporal) cannot hold,
 * refused once here so that every schema says the same thing at the exact
 * path: text that is not well-formed UTF-16 (a lone surrogate, which UTF-8
 * cannot encode) or that holds a NUL character (neither text nor jsonb
 * columns take one), instants outside what timestamptz and `Date`
 * round-trip, and integers past a 32-bit `int` column.
 */
import { z } from 'zod';
import { MAX_LISTED_ISSUES } from './issues';
import { textProblem } from './text-problem';

export { isWellFormed, NUL_MESSAGE, textProblem, WELL_FORMED_MESSAGE } from './text-problem';

/** A number JSON cannot carry: 1e400 parses as Infinity and would be stored as null without a word. */
export const NON_FINITE_MESSAGE = 'must be a finite number (1e400 and the like read as Infinity, which JSON cannot carry: it would be stored as null)';

/**
 * An id that names something in a URL path (`/v1/users/{id}`, `/v1/events/{id}`):
 * storable text, and neither `.` nor `..`, which every URL parser (fetch, the
 * browser, curl) removes from a path even when escaped as `%2E`, so nothing
 * kept under such an id could ever be looked up.
 */
export const DOT_SEGMENT_MESSAGE = 'cannot be "." or "..": URL paths drop those segments, so nothing could look it up';

/** A string that can be stored as UTF-8 text. Chain bounds after it: `WellFormedString.min(1).max(200)`. */
export const WellFormedString = z.string().superRefine((text, ctx) => {
  const problem = textProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Why someone did something (a cancel, an exit), kept for those who look later: a blank one says nothing. */
export const Reason = WellFormedString.min(1)
  .max(500)
  // (an empty one is said by min(1) already)
  .refine((text) => text === '' || text.trim().length > 0, { error: 'a reason says why: it may not be only spaces' });

/** An id that URL paths can carry (see DOT_SEGMENT_MESSAGE), up to 200 characters. */
export const AddressableId = WellFormedString.min(1)
  .max(200)
  .refine((id) => id !== '.' && id !== '..', { error: DOT_SEGMENT_MESSAGE });

/** Where a value sits: its key under its parent, up to the root (null). Shared by siblings, so walking costs no copies. */
interface Place {
  readonly parent: Place | null;
  readonly key: PropertyKey;
}

function pathOf(place: Place | null): PropertyKey[] {
  const path: PropertyKey[] = [];
  for (let p = place; p; p = p.parent) path.push(p.key);
  return path.reverse();
}

/** A value (or key) PostgreSQL cannot store, or a number JSON cannot carry, with its path relative to the value walked. */
export interface Unstorable {
  path: PropertyKey[];
  message: string;
}

/**
 * Every string or object key in `value` that PostgreSQL cannot store, and
 * every number JSON cannot carry (Infinity, from 1e400), with its path
 * (relative to `value`) and why, up to `limit`. Iterative: bodies
 * may nest deeper than the stack. Linear in the size of the value: each
 * value keeps a link to its parent's place, and only a path that is reported
 * is spelled out (copying the path at every level made a deep body cost its
 * depth squared: a 100,000-deep array kept the API busy for over a minute).
 */
export function unstorableText(value: unknown, limit = 10): Unstorable[] {
  return walkUnstorable(value, limit, false).listed;
}

/**
 * The same, walking all of `value`: the first `limit` problems with their
 * paths, and how many more it holds (counted, their paths never spelled
 * out), so that an answer can say how many it left out.
 */
export function countedUnstorableText(value: unknown, limit: number): { listed: Unstorable[]; notListed: number } {
  return walkUnstorable(value, limit, true);
}

function walkUnstorable(value: unknown, limit: number, countRest: boolean): { listed: Unstorable[]; notListed: number } {
  const listed: Unstorable[] = [];
  let notListed = 0;
  const stack: Array<{ v: unknown; place: Place | null; keyProblem?: string | null }> = [{ v: value, place: null }];
  while (stack.length > 0 && (countRest || listed.length < limit)) {
    const { v, place, keyProblem } = stack.pop()!;
    // A key that cannot be stored is its entry's problem: what it holds is not looked at.
    const problem = keyProblem ?? (typeof v === 'string' ? textProblem(v) : typeof v === 'number' && !Number.isFinite(v) ? NON_FINITE_MESSAGE : null);
    if (problem) {
      if (listed.length < limit) listed.push({ path: pathOf(place), message: problem });
      else notListed++;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], place: { parent: place, key: i } });
    } else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, inner] = entries[i];
        stack.push({ v: inner, place: { parent: place, key }, keyProblem: textProblem(key) });
      }
    }
  }
  return { listed, notListed };
}

/**
 * How many levels of arrays and objects a JSON document Kairos accepts may
 * nest (a request body, a broker message). JSON.stringify, TypeORM and the
 * PostgreSQL JSON parser all recurse, and how deep they get depends on the
 * stack left where they run: a campaign whose webhook body nested 2,500 deep
 * passed every check and then failed its insert with a 500. A fixed bound far
 * below any of them makes the answer the same everywhere; 128 leaves room
 * for conditions nested the 64 levels the compiler takes, inside a campaign.
 */
export const MAX_JSON_DEPTH = 128;

export const TOO_DEEP_MESSAGE = `nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`;

/**
 * The path of the first array or object that sits deeper than `maxDepth`
 * levels in `value` (the value itself, when it is one, is level 1), or null.
 * Iterative and linear, like unstorableText.
 */
export function tooDeepPath(value: unknown, maxDepth = MAX_JSON_DEPTH): PropertyKey[] | null {
  const isContainer = (v: unknown): v is object => typeof v === 'object' && v !== null;
  if (!isContainer(value)) return null;
  const stack: Array<{ v: object; place: Place | null; level: number }> = [{ v: value, place: null, level: 1 }];
  while (stack.length > 0) {
    const { v, place, level } = stack.pop()!;
    if (level > maxDepth) return pathOf(place);
    // Children pushed last to first, so the walk meets them in document order; leaves cost no allocation.
    const visit = (inner: unknown, key: PropertyKey) => {
      if (isContainer(inner)) stack.push({ v: inner, place: { parent: place, key }, level: level + 1 });
    };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) visit(v[i], i);
    } else {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) visit((v as Record<string, unknown>)[keys[i]], keys[i]);
    }
  }
  return null;
}

/**
 * A superRefine step: every string and key inside the value is well formed
 * (and every number finite), each problem at its own path. At most `room`
 * details (what a 400 lists, MAX_LISTED_ISSUES, less what the caller
 * reported before): past them, the last one says how many more the value
 * holds, at the value's own path, so a client mends them all in one round
 * rather than ten at a time. The count rides in `params.notListed` too.
 */
export function refineWellFormedText(value: unknown, ctx: z.RefinementCtx, room: number = MAX_LISTED_ISSUES): void {
  const { listed, notListed } = countedUnstorableText(value, Math.max(room, 1));
  const shown = notListed === 0 ? listed : listed.slice(0, -1);
  for (const { path, message } of shown) ctx.addIssue({ code: 'custom', path, message });
  if (notListed === 0) return;
  const more = notListed + listed.length - shown.length;
  ctx.addIssue({
    code: 'custom',
    path: [],
    message: `and ${more} more values or names in it that cannot be stored (text holding NUL or a lone surrogate, a number JSON cannot carry), not listed: mend these first`,
    params: { notListed: more },
  });
}

/** A JSON object of free-form values (event properties, profile attributes), every string and key in it well formed. */
export const JsonObject = z.record(z.string(), z.unknown()).superRefine(refineWellFormedText);

/**
 * timestamptz takes offsets up to ±15:59 and no year 0; `Date` and JSON
 * answers read back four-digit years only. So an instant is storable when its
 * offset is within ±15:59 and it falls in the years 0001..9999 in UTC.
 */
const OFFSET = /(?:Z|([+-])(\d{2}):?(\d{2})?)$/i;
const FIRST_MS = new Date('0001-01-01T00:00:00Z').getTime();
const LAST_MS = new Date('9999-12-31T23:59:59.999Z').getTime();

/** The date part's year, month and day, to check the day against its month (`Date` rolls 02-30 over to 03-02). */
const DATE_PART = /^(\d{4})-(\d{2})-(\d{2})/;
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function storableTimestampProblem(text: string): string | null {
  const date = DATE_PART.exec(text);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (month < 1 || month > 12) return `not a real date: ${date[0]} (there is no month ${date[2]})`;
    const days = month === 2 && isLeap(year) ? 29 : DAYS[month - 1];
    if (day < 1 || day > days) return `not a real date: ${date[0]} (that month has ${days} days)`;
  }
  const offset = OFFSET.exec(text);
  if (offset?.[1] && Number(offset[2]) * 60 + Number(offset[3] ?? 0) > 15 * 60 + 59) return 'the zone offset must be within ±15:59';
  if (text.startsWith('0000')) return 'there is no year 0000';
  const ms = new Date(text).getTime();
  if (Number.isNaN(ms)) return 'not a real date and time';
  if (ms < FIRST_MS || ms > LAST_MS) return 'must fall within the years 0001 to 9999 (UTC)';
  return null;
}

/** Fractional seconds past the sixth digit (a .NET `o` timestamp has seven, Java's up to nine). */
const PAST_MICROSECONDS = /(\.\d{6})\d+/;

/**
 * `text` with its fractional seconds cut to microseconds, what timestamptz
 * keeps. PostgreSQL would round the rest away instead, and rounding can carry
 * into the next second, or year: `9999-12-31T23:59:59.9999999Z` became year
 * 10000 in the events table while its journey got the text as sent. Cut, the
 * instant never moves past the one written, so the range check
 * (storableTimestampProblem) holds for what is stored, and the events table
 * and the journeys get the same instant.
 */
export function toMicroseconds(text: string): string {
  return text.replace(PAST_MICROSECONDS, '$1');
}

/** Fractional seconds past the millisecond: Date.parse drops them. */
const PAST_MILLISECONDS = /(\.\d{3})(\d*)/;

/**
 * A StorableTimestamp as microseconds since the epoch: what timestamptz
 * keeps, so two instants in the same millisecond compare as PostgreSQL
 * compares them.
 */
export function epochMicroseconds(text: string): bigint {
  const match = PAST_MILLISECONDS.exec(text);
  const millis = Date.parse(match ? text.replace(PAST_MILLISECONDS, '$1') : text);
  // Not BigInt's RangeError for NaN: say which text was no instant (a caller passes only checked ones).
  if (!Number.isFinite(millis)) throw new TypeError(`not a StorableTimestamp: ${JSON.stringify(text)}`);
  return BigInt(millis) * 1000n + BigInt((match?.[2] ?? '').padEnd(3, '0').slice(0, 3));
}

/** A date and time whose offset is preceded by a space: a `+` in a query string, which reads as one. */
const SPACE_BEFORE_OFFSET = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)? \d{2}(:?\d{2})?$/;

function timestampFormatProblem(input: unknown): string {
  if (typeof input === 'string' && SPACE_BEFORE_OFFSET.test(input)) {
    return `expected an ISO 8601 date and time with a zone: ${JSON.stringify(input)} has a space before its offset, which is what a \`+\` in a query string reads as: write it as %2B (since=2026-12-01T09:00:00%2B08:00), or use Z`;
  }
  return 'expected an ISO 8601 date and time with a zone (Z or an offset), e.g. 2026-12-01T09:00:00Z';
}

/**
 * An ISO 8601 date and time with a zone that PostgreSQL stores and reads back
 * as given; its fractional seconds are cut to microseconds (toMicroseconds),
 * so the parsed value is what is stored.
 */
export const StorableTimestamp = z.iso
  .datetime({ offset: true, error: (issue) => timestampFormatProblem(issue.input) })
  // An overwrite, not a transform: the schema stays a string to OpenAPI, and the range check below sees the cut value.
  .overwrite(toMicroseconds)
  .refine((text) => storableTimestampProblem(text) === null, {
    error: (issue) => storableTimestampProblem(issue.input as string) ?? undefined,
    // Only once the format is right: a malformed timestamp gets one message, the format's.
    when: (payload) => payload.issues.length === 0,
  })
  // The OpenAPI document's `format: date-time` (RFC 3339) also takes a lowercase t or z and a leap second (:60), which the
  // format check above refuses: the document states that check's own pattern beside it.
  .meta({ pattern: z.regexes.datetime({ offset: true }).source });

export const INT32_MAX = 2_147_483_647;

/** An integer that fits PostgreSQL's `int` (32-bit). Chain `.min(1)` etc. after it. */
export const Int32 = z.number().int().min(-INT32_MAX - 1).max(INT32_MAX);

/** A uuid as PostgreSQL reads one (hex in either case): text that is not one is no row, never a 22P02 from the query. */
export function isUuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}
