/** One event read from a JSON-lines input, with its line for error messages. */
export interface EventLine {
  line: number;
  event: unknown;
}

/**
 * Parses JSON lines (blank lines and lines starting with `#` are skipped).
 * Lines that are not JSON are returned as problems, so nothing is sent
 * from a file that is partly broken.
 */
export function parseEventLines(text: string): { events: EventLine[]; problems: { line: number; message: string }[] } {
  const events: EventLine[] = [];
  const problems: { line: number; message: string }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    let event: unknown;
    try {
      event = JSON.parse(trimmed);
    } catch (err) {
      problems.push({ line: i + 1, message: `not JSON: ${(err as Error).message}` });
      return;
    }
    const overflow = overflowPath(event);
    if (overflow !== undefined) problems.push({ line: i + 1, message: OVERFLOW(overflow) });
    else events.push({ line: i + 1, event });
  });
  return { events, problems };
}

const OVERFLOW = (path: string) => `${path || 'the value'}: a number too large for JSON to carry (it would be sent as null)`;

/**
 * Where `JSON.parse` read a number past what a double holds (`1e400`) as
 * Infinity, which `JSON.stringify` then sends as null: the path of the first,
 * or undefined. The API refuses such a number when it sees its text; the CLI
 * must not turn it into a null on the way.
 */
export function overflowPath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = overflowPath(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const found = overflowPath(inner, path ? `${path}.${key}` : key);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Throws when `value` holds a number JSON cannot carry (see overflowPath); `path` names it. */
export function refuseOverflow(value: unknown, path: string): void {
  const found = overflowPath(value, path);
  if (found !== undefined) throw new Error(OVERFLOW(found));
}

/**
 * Splits into batches of at most `size` items and, when `bytes` is given,
 * at most `bytes.max` of them together (an item larger than that goes
 * alone): 500 events of 12 KB each are more than a request body may hold.
 */
export function batches<T>(items: T[], size: number, bytes?: { of: (item: T) => number; max: number }): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const item of items) {
    const weight = bytes ? bytes.of(item) : 0;
    if (current.length > 0 && (current.length >= size || (bytes && used + weight > bytes.max))) {
      out.push(current);
      current = [];
      used = 0;
    }
    current.push(item);
    used += weight;
  }
  if (current.length > 0) out.push(current);
  return out;
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
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // plain text
    }
    refuseOverflow(value, pair.slice(0, eq));
    // 12345678901234567890 reads as 12345678901234567000: an order number would change without a word.
    if (typeof value === 'number' && /^-?\d+$/.test(raw.trim()) && !Number.isSafeInteger(value)) {
      throw new Error(`${pair.slice(0, eq)}: ${raw.trim()} is a whole number past 2^53, which a JSON number does not keep exactly; quote it to send it as text: ${pair.slice(0, eq)}='"${raw.trim()}"'`);
    }
    out[pair.slice(0, eq)] = value;
  }
  return out;
}
