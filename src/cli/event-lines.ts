import { jsonTextProblem, LEVELS_AROUND, valueProblem, wholeNumberPast2To53 } from './json-text';

/** One event read from a JSON-lines input, with its line for error messages. */
export interface EventLine {
  line: number;
  event: unknown;
}

/**
 * One line of JSON lines: its event, its problem (a line that is no JSON, holds what JSON.parse would change on the way
 * (a key twice, a whole number past 2^53: see jsonTextProblem), or is no object), or
 * undefined for a blank line or a `#` comment. Kairos judges the event's
 * fields; a line that is no JSON object is no event whatever Kairos takes.
 */
export function eventLineOf(raw: string): { event: unknown } | { problem: string } | undefined {
  const trimmed = raw.trim();
  if (!trimmed || trimmed.startsWith('#')) return undefined;
  let event: unknown;
  try {
    event = JSON.parse(trimmed);
  } catch (err) {
    return { problem: `not JSON: ${(err as Error).message}` };
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    return { problem: `not an event: each line is one JSON object ({"id": ..., "type": ..., "userId": ...}), this one is ${kindOf(event)}` };
  }
  const problem = jsonTextProblem(trimmed, event, [], LEVELS_AROUND.event);
  return problem === undefined ? { event } : { problem };
}

/** What a JSON value that is no object is, in words. */
const kindOf = (value: unknown): string => (Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`);

/**
 * Items that come one at a time (a file read line by line) into batches of
 * at most `size` items and, when `bytes` is given, at most `bytes.max` of
 * them together (an item larger than that goes alone): 500 events of 12 KB
 * each are more than a request body may hold. Each batch goes once it is full.
 */
export async function* batchesOf<T>(items: Iterable<T> | AsyncIterable<T>, size: number, bytes?: { of: (item: T) => number; max: number }): AsyncGenerator<T[]> {
  let current: T[] = [];
  let used = 0;
  for await (const item of items) {
    const weight = bytes ? bytes.of(item) : 0;
    if (current.length > 0 && (current.length >= size || (bytes !== undefined && used + weight > bytes.max))) {
      yield current;
      [current, used] = [[], 0];
    }
    current.push(item);
    used += weight;
  }
  if (current.length > 0) yield current;
}

/** `events[3].properties.amount` in a batch → the batch index and the rest of the path. */
export function splitBatchPath(path: string): { index: number; rest: string } | undefined {
  const m = /^events\[(\d+)\]\.?(.*)$/.exec(path);
  return m ? { index: Number(m[1]), rest: m[2] } : undefined;
}

/** `key=value` flags into properties: a value that parses as JSON (numbers, true, "quoted") is taken as JSON, else as text. */
export function parseProperties(pairs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`expected key=value, got "${pair}"`);
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    // As a key written twice in JSON: one value would be dropped without a word.
    if (Object.hasOwn(out, key)) throw new Error(`${key}: given twice; say it once`);
    const json = parsedJson(raw);
    // 12345678901234567890 reads as 12345678901234567000: an order number would change without a word.
    if (typeof json?.value === 'number' && /^-?\d+$/.test(raw.trim()) && !Number.isSafeInteger(json.value)) {
      throw new Error(`${key}: ${wholeNumberPast2To53(raw.trim())}; quote it to send it as text: ${key}='"${raw.trim()}"'`);
    }
    const problem = json ? jsonTextProblem(raw, json.value, [key], LEVELS_AROUND.properties) : valueProblem(raw, [key], LEVELS_AROUND.properties);
    if (problem !== undefined) throw new Error(problem);
    out[key] = json ? json.value : raw;
  }
  return out;
}

/** The value of a text that is JSON, or undefined for plain text. */
function parsedJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}
