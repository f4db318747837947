/**
 * A key written twice in one object in the JSON or YAML tab. JSON.parse (and
 * the YAML parser's toJS) keep the last value and drop the first without a
 * word, so the campaign would hold one `actions` of a state where the text
 * shows two. The API refuses such a body with a 400 at the key's path
 * (src/api/common/json-body.ts, scan in src/domain/json-duplicate-keys.ts),
 * the CLI before sending (src/cli/json-text.ts); the tabs keep the text out
 * of the campaign with the same words (keyTwiceWords). Pure.
 */
import { formatPath } from '../../../../src/domain/zod-issues';
import { keyTwiceWords } from '../../../../src/domain/json-duplicate-keys';
import type { ValuePath } from './whole-numbers';

/** `states.s.actions: the key "actions" appears twice in one object; JSON keeps only the last, so say it once`, as the API says it. */
export function keyTwiceProblem(path: ValuePath): { path: string; message: string } {
  const at = formatPath('', path);
  return { path: at, message: `${at}: ${keyTwiceWords(path[path.length - 1])}` };
}
