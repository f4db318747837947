/**
 * The preview's properties as typed, read as the event's properties, or why
 * not. JSON.parse keeps the last of a key written twice and rounds a whole
 * number past 2^53, so the preview would run for an event other than the one
 * its heading echoes (`{"amount": 5, "amount": 50}` for 50), or the API would
 * refuse it naming digits the operator never typed. These are refused before
 * anything is sent, in the JSON and YAML tabs' words (key-twice.ts,
 * whole-numbers.ts) at the properties' own path. Pure, unit-tested.
 */
import { duplicateKeyPath } from '../../../../src/domain/json-duplicate-keys';
import { unsafeIntegerLiteral } from '../../../../src/domain/json-unsafe-integers';
import { keyTwiceProblem } from './key-twice';
import { wholeNumberProblem } from './whole-numbers';

export const NOT_AN_OBJECT = 'Properties must be a JSON object, e.g. {"amount": 25}.';

export type PreviewProperties = { ok: true; properties: Record<string, unknown> } | { ok: false; message: string };

export function previewProperties(text: string): PreviewProperties {
  const typed = text.trim() === '' ? '{}' : text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(typed) as unknown;
  } catch {
    return { ok: false, message: NOT_AN_OBJECT };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, message: NOT_AN_OBJECT };
  // The API's scans, in its order (src/api/common/json-body.ts): a key twice, then a whole number past 2^53.
  const twice = duplicateKeyPath(typed);
  if (twice) return { ok: false, message: `${keyTwiceProblem(['properties', ...twice]).message}.` };
  const rounded = unsafeIntegerLiteral(typed);
  if (rounded) return { ok: false, message: `${wholeNumberProblem(['properties', ...rounded.path], rounded.literal).message}.` };
  return { ok: true, properties: parsed as Record<string, unknown> };
}
