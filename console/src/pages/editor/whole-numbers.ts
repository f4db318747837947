/**
 * Whole numbers past 2^53 typed in the JSON or YAML tab. The browser's
 * parser reads `12345678901234567890` as a double that JSON writes as
 * 12345678901234567000, and the API takes that double, so a webhook body
 * would be saved with other digits than the ones the tab shows. The API
 * refuses such a number in a request body and the CLI before sending, at its
 * path (src/domain/json-unsafe-integers.ts); the tabs keep the text out of
 * the campaign with the same words. Pure.
 */
import { formatPath } from '../../../../src/domain/zod-issues';
import { wholeNumberPast2To53 } from '../../../../src/domain/json-unsafe-integers';

export type ValuePath = ReadonlyArray<string | number>;

/** `states.s.actions.steps[0].body.accountId: 12345678901234567890 is a whole number past 2^53 …; write it as a string: "…"`, as the API says it. */
export function wholeNumberProblem(path: ValuePath, literal: string): { path: string; message: string } {
  const at = formatPath('', path);
  return { path: at, message: `${at}: ${wholeNumberPast2To53(literal)}; write it as a string: "${literal}"` };
}
