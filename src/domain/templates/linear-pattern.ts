import { needsUnicodeFlag } from './pattern-without-u';

/**
 * A template parameter's `pattern`, made into the RegExp that checks whole
 * values on V8's linear-time engine (the `l` flag; the process turns it on:
 * src/security/linear-regexp-engine.ts). Checking a value then takes time in
 * proportion to its length whatever the pattern, where the usual engine
 * backtracks: `(a|a)+` takes half a minute on 29 characters that almost
 * match, `(.*a){12}` minutes on 41. The engine reads neither backreferences
 * nor lookarounds, and unrolls counts up to 16 copies only (nested ones
 * multiply: `(a{1,3}){6}` is 18; `{16,}` is 17): such a pattern is refused,
 * with how to write it instead. The limit is V8's own (kMaxReplicationFactor).
 * Nor does it run the `u` flag, so a pattern is read without it, and what
 * would need it (`\p{L}`, `\u{1F600}`, an emoji in `[...]` or before a
 * count) is refused too (pattern-without-u.ts).
 */
const MAX_PATTERN_COUNT = 16;
/** The flag that puts a RegExp on the linear-time engine. */
const LINEAR = 'l';

export type LinearPattern = { ok: true; regexp: RegExp } | { ok: false; message: string };

export function linearPattern(pattern: string): LinearPattern {
  try {
    new RegExp(pattern);
  } catch (e) {
    return { ok: false, message: `pattern is not a regular expression: ${e instanceof Error ? e.message : String(e)}` };
  }
  // The engine runs no `u` flag, so what means something else without it is refused here, not met later as a refused value.
  const unicode = needsUnicodeFlag(pattern);
  if (unicode !== undefined) return { ok: false, message: unicode };
  try {
    return { ok: true, regexp: new RegExp(`^(?:${pattern})$`, LINEAR) };
  } catch (e) {
    if (!linearEngineOn()) throw new Error("V8's linear-time regexp engine is off in this process: import src/security/linear-regexp-engine first", { cause: e });
    return {
      ok: false,
      message: `pattern cannot be checked in linear time: V8's linear-time engine, which Kairos runs patterns on, does not run it. It runs no backreference (\\1), lookahead or lookbehind, and no counts that unroll past ${MAX_PATTERN_COUNT} copies (nested counts multiply, and an open-ended {n,} counts n + 1: {20}, {1,100}, {16,} and (a{1,3}){6} are all past it); write a long count as + or * and bound the length with minLength and maxLength`,
    };
  }
}

function linearEngineOn(): boolean {
  try {
    new RegExp('', LINEAR);
    return true;
  } catch {
    return false;
  }
}
