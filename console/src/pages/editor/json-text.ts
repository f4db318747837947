/**
 * The campaign as JSON text and back, as the JSON tab edits it. Pure,
 * unit-tested (the YAML tab's counterpart is yaml-text.ts).
 */
import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import { JSON_WORDS, shapeProblem } from './campaign-shape';
import { reservedStateName } from './reserved-states';
import { duplicateKeyPath } from '../../../../src/domain/json-duplicate-keys';
import { mayHoldUnsafeInteger, unsafeIntegerLiteral } from '../../../../src/domain/json-unsafe-integers';
import { keyTwiceProblem } from './key-twice';
import { wholeNumberProblem } from './whole-numbers';

export const toJson = (d: CampaignInput): string => JSON.stringify(d, null, 2);

export type JsonParse = { ok: true; value: CampaignInput } | { ok: false; message: string; line: number | null };

/**
 * The text as a campaign object, or why not: the parser's message, a key
 * written twice in one object (JSON.parse keeps the last, and the API
 * refuses: key-twice.ts), a whole number past 2^53 (which JSON.parse rounds,
 * and the API refuses: whole-numbers.ts), a reserved state name, or a shape
 * the canvas cannot draw (campaign-shape.ts).
 */
export function parseJson(text: string): JsonParse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // V8 names the line: "... in JSON at position 25 (line 2 column 3)".
    const line = /\(line (\d+) column \d+\)/.exec(message);
    return { ok: false, message, line: line ? Number(line[1]) : null };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, message: 'a campaign is a JSON object', line: 1 };
  // The API's scans, in its order (src/api/common/json-body.ts): a key twice, then a whole number past 2^53.
  const twice = duplicateKeyPath(text);
  if (twice) return { ok: false, message: keyTwiceProblem(twice).message, line: null };
  // The same scan as the API's, on the same cheap gate: only a text with 16 digits in a row may hold such a number.
  const rounded = mayHoldUnsafeInteger(text) ? unsafeIntegerLiteral(text) : undefined;
  if (rounded) return { ok: false, message: wholeNumberProblem(rounded.path, rounded.literal).message, line: null };
  const reserved = reservedStateName(parsed);
  if (reserved) return { ok: false, message: reserved.message, line: null };
  const shape = shapeProblem(parsed as Record<string, unknown>, JSON_WORDS);
  if (shape) return { ok: false, message: shape.message, line: null };
  return { ok: true, value: parsed as CampaignInput };
}
