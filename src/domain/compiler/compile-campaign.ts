/**
 * compileCampaign: from any JSON to a runnable plan or a list of problems. It
 * never throws: the API calls it on whatever clients send.
 */
import { parseCampaign, type Campaign } from '../campaign/schema';
import { fail, type Result } from '../issues';
import { compilePlan, type CompileOptions } from './compile';
import type { CompiledPlan } from './plan';
import { withRawReferences } from './raw-references';

export function compileCampaign(input: unknown, opts: CompileOptions = {}): Result<CompiledPlan> {
  let parsed: Result<Campaign>;
  try {
    parsed = parseCampaign(input);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return fail([{ path: '', message: `the campaign could not be validated (internal error: ${detail})` }]);
  }
  // Refused by the schema: its problems, and the states referred to that do not exist, all in one answer.
  return parsed.ok ? compilePlan(parsed.value, opts) : fail(withRawReferences(parsed.issues, input));
}
