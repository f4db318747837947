/**
 * A template parameter's `pattern`, made into the RegExp that checks whole
 * values on V8's linear-time engine (the `l` flag; the process turns it on:
 * src/security/linear-regexp-engine.ts). Checking a value then takes time in
 * proportion to its length whatever the pattern, where the usual engine
 * backtracks: `(a|a)+` takes half a minute on 29 characters that almost
 * match, `(.*a){12}` minutes on 41. The engine reads neither backreferences
 * nor lookarounds, and no count above 16 (it unrolls counts, so nested
 * ones multiply: `(a{1,3}){6}` counts 18): such a pattern is refused, with
 * how to write it instead.
 */
export const MAX_PATTERN_COUNT = 16;
/** The flag that puts a RegExp on the linear-time engine. */
const LINEAR = 'l';

export type LinearPattern = { ok: true; regexp: RegExp } | { ok: false; message: string };

export function linearPattern(pattern: string): LinearPattern {
  try {
    new RegExp(pattern);
  } catch (e) {
    return { ok: false, message: `pattern is not a regular expression: ${e instanceof Error ? e.message : String(e)}` };
  }
  try {
    return { ok: true, regexp: new RegExp(`^(?:${pattern})$`, LINEAR) };
  } catch (e) {
    if (!linearEngineOn()) throw new Error("V8's linear-time regexp engine is off in this process: import src/security/linear-regexp-engine first", { cause: e });
    return {
      ok: false,
      message: `pattern cannot be checked in linear time: it uses a backreference (\\1), a lookahead or lookbehind, or a count above ${MAX_PATTERN_COUNT}, nested counts multiplied (like {20}, {1,100} or (a{1,3}){6}); write a long count as + or * and bound the length with minLength and maxLength`,
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
