/**
 * What a duration field holds as it is typed: a duration the campaign can
 * take now (applied at once, so Save or another panel never misses it), or
 * why not yet. Read as the compiler reads it (src/domain/durations.ts), so
 * what is applied compiles; lowercase is read as uppercase. Pure.
 */
import { durationInWords, parseDuration } from '../../../../src/domain/durations';

export const DURATION_EXAMPLES = 'P3D (3 days), PT3H (3 hours), P2W (2 weeks) or P1M (1 month)';

export type DurationText =
  /** `value` undefined: the field was emptied, and may be (an optional one). `words`: "3 days". */
  | { ok: true; value: string | undefined; words: string | null }
  | { ok: false; problem: string };

export function readDurationText(text: string, optional: boolean): DurationText {
  const typed = text.trim();
  if (typed === '') return optional ? { ok: true, value: undefined, words: null } : { ok: false, problem: `Give a duration, e.g. ${DURATION_EXAMPLES}` };
  const value = typed.toUpperCase();
  const parsed = parseDuration(value);
  if (!parsed.ok) return { ok: false, problem: `"${typed}" is not a duration yet: write it as ${DURATION_EXAMPLES}` };
  return { ok: true, value, words: durationInWords(parsed.value) };
}
