/**
 * What a template `pattern` would mean with the `u` flag and means something
 * else without it. Patterns run on V8's linear-time engine, which does not run
 * the `u` flag (linear-pattern.ts), so they are read without it: there `\p{L}`
 * is the text `p{L}`, `\u{41}` is 41 `u`s, and a character above U+FFFF (an
 * emoji) is two UTF-16 code units, so `[😀]` offers either half alone and
 * `😀+` repeats only the second. Such a pattern loads and then refuses
 * values its author meant to allow (the boot blamed the default instead), so
 * it is refused at the pattern, with what to write instead.
 */

/** A count after an atom: `*`, `+`, `?` or `{n}`, `{n,}`, `{n,m}` (a `{` that is none of those is a literal without `u`). */
const COUNT = /^(?:[*+?]|\{\d+(?:,\d*)?\})/;
/** An escape that needs `u`, as written (its braces shown up to a bound, so a long one does not fill the message). */
const U_ESCAPE = /^\\([pPu])\{[^}]{0,40}\}?/;

const LETTERS_HINT = 'list the characters instead, e.g. [A-Za-zÀ-ÖØ-öø-ÿ] for Latin letters';

/** The first thing in `pattern` that needs the `u` flag, as a message for the pattern's path; none: undefined. */
export function needsUnicodeFlag(pattern: string): string | undefined {
  let inClass = false;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      const escape = U_ESCAPE.exec(pattern.slice(i));
      if (escape) return escapeMessage(escape[0], escape[1]);
      // The escaped character is the atom: `\` then an emoji escapes only its first half.
      const next = pattern.codePointAt(i + 1);
      const width = next === undefined ? 1 : next > 0xffff ? 2 : 1;
      const problem = astralProblem(pattern, i + 1, width, inClass);
      if (problem) return problem;
      i += 1 + width;
      continue;
    }
    if (!inClass && c === '[') inClass = true;
    else if (inClass && c === ']') inClass = false;
    const point = pattern.codePointAt(i) ?? 0;
    const width = point > 0xffff ? 2 : 1;
    const problem = astralProblem(pattern, i, width, inClass);
    if (problem) return problem;
    i += width;
  }
  return undefined;
}

function escapeMessage(written: string, letter: string): string {
  if (letter === 'u') {
    return `pattern uses the code point escape ${written}, which needs the u flag: patterns run without it (V8's linear-time engine does not run u), where \\u{41} means 41 u's; write the character itself, or \\uXXXX for one up to U+FFFF`;
  }
  return `pattern uses the Unicode property escape ${written}, which needs the u flag: patterns run without it (V8's linear-time engine does not run u), where ${written} means the text ${written.slice(1)}; ${LETTERS_HINT}`;
}

/** A character above U+FFFF (two code units) at `at`, inside `[...]` or before a count: either way only one half is what the author meant. */
function astralProblem(pattern: string, at: number, width: number, inClass: boolean): string | undefined {
  if (width !== 2) return undefined;
  const char = pattern.slice(at, at + 2);
  if (inClass) {
    return `pattern has ${char} inside [...]: patterns run without the u flag (V8's linear-time engine does not run it), where a character above U+FFFF is two UTF-16 code units and [...] offers each half on its own; write it outside the brackets, as an alternative: (?:[a-z]|${char})`;
  }
  if (COUNT.test(pattern.slice(at + 2))) {
    return `pattern has ${char} before a count: patterns run without the u flag (V8's linear-time engine does not run it), where a character above U+FFFF is two UTF-16 code units and the count repeats only the second; group it: (?:${char})+`;
  }
  return undefined;
}
