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
    try {
      events.push({ line: i + 1, event: JSON.parse(trimmed) });
    } catch (err) {
      problems.push({ line: i + 1, message: `not JSON: ${(err as Error).message}` });
    }
  });
  return { events, problems };
}

/** Splits into batches of at most `size`. */
export function batches<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
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
    out[pair.slice(0, eq)] = value;
  }
  return out;
}
