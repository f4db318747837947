/**
 * Text that PostgreSQL cannot store: not well-formed UTF-16 (a lone
 * surrogate, which UTF-8 cannot encode), or holding a NUL character (neither
 * text nor jsonb columns take one). Without zod, so the expression language
 * (in the workflow bundle) can use it too; storable.ts builds its schemas on it.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Either problem (a lone surrogate, or NUL), in one pass over the text; textProblem tells which. */
const UNSTORABLE = new RegExp(`${LONE_SURROGATE.source}|\\u0000`);

export const WELL_FORMED_MESSAGE = 'must be well-formed Unicode text (it holds a lone surrogate)';
export const NUL_MESSAGE = 'must not hold a NUL character (\\u0000): PostgreSQL cannot store one';

/** Well-formed UTF-16: no lone surrogate (what UTF-8 can encode). */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** Why PostgreSQL cannot store `text`, or null when it can. */
export function textProblem(text: string): string | null {
  if (!UNSTORABLE.test(text)) return null;
  return LONE_SURROGATE.test(text) ? WELL_FORMED_MESSAGE : NUL_MESSAGE;
}
