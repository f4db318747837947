/**
 * What is wrong with a key written twice, in the words the API, the CLI and
 * the console all use (`the key "amount" appears twice ...`), to follow the
 * key's path.
 */
export function keyTwiceWords(key: string | number): string {
  return `the key ${JSON.stringify(String(key))} appears twice in one object; JSON keeps only the last, so say it once`;
}

/**
 * Where a JSON text names one key twice in one object, or undefined.
 *
 * `JSON.parse` keeps the last value and drops the first without a word, so a
 * campaign with two `actions` in a state, or an event with two `amount`
 * properties, would be saved as something its author did not read. RFC 8259
 * leaves such objects' meaning to the parser; Kairos refuses them at the
 * key's path instead.
 *
 * Only called on text that JSON.parse accepted, so the scan trusts the
 * grammar: it tracks objects and arrays, and reads keys (escapes decoded, so
 * `"a"` and `"\u0061"` are one key).
 */
export function duplicateKeyPath(text: string): Array<string | number> | undefined {
  // One frame per open object or array: an object's keys so far and the key being read, an array's index.
  const frames: Array<{ keys: Set<string>; key: string | null; expectingKey: boolean } | { index: number }> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      const top = frames[frames.length - 1];
      if (top && 'keys' in top && top.expectingKey) {
        const key = keyAt(text, i, end);
        if (top.keys.has(key)) return [...pathOf(frames.slice(0, -1)), key];
        top.keys.add(key);
        top.key = key;
        top.expectingKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */) frames.push({ keys: new Set(), key: null, expectingKey: true });
    else if (c === 0x5b /* [ */) frames.push({ index: 0 });
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) frames.pop();
    else if (c === 0x2c /* , */) {
      const top = frames[frames.length - 1];
      if (top && 'keys' in top) top.expectingKey = true;
      else if (top) top.index++;
    }
  }
  return undefined;
}

/** The index of the quote that closes the string opened at `start` in JSON text (its end when none does). */
export function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return text.length;
    // A quote preceded by an odd number of backslashes is escaped.
    let backslashes = 0;
    for (let j = quote - 1; text.charCodeAt(j) === 0x5c; j--) backslashes++;
    if (backslashes % 2 === 0) return quote;
    i = quote + 1;
  }
}

function pathOf(frames: Array<{ key: string | null } | { index: number }>): Array<string | number> {
  return frames.map((f) => ('index' in f ? f.index : (f.key ?? '')));
}

/** A key read at `start` (its opening quote; `end`, its closing one), escapes decoded; as written when its escapes are not JSON's. */
export function keyAt(text: string, start: number, end = stringEnd(text, start)): string {
  const raw = text.slice(start + 1, end);
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(text.slice(start, end + 1)) as string;
  } catch {
    return raw;
  }
}
