import fc from 'fast-check';
import { spendAndPost } from '../testing/campaigns';
import { compileCampaign } from './index';

/** Replaces the value at a random path of a JSON document. */
function mutate(doc: unknown, choices: number[], replacement: unknown): unknown {
  if (choices.length === 0 || doc === null || typeof doc !== 'object') return replacement;
  const keys = Object.keys(doc);
  if (keys.length === 0) return replacement;
  const [first, ...rest] = choices;
  const key = keys[first % keys.length];
  const copy: Record<string, unknown> = Array.isArray(doc) ? ([...doc] as unknown as Record<string, unknown>) : { ...(doc as Record<string, unknown>) };
  copy[key] = mutate((doc as Record<string, unknown>)[key], rest, replacement);
  return copy;
}

describe('compileCampaign properties', () => {
  it('never throws on any JSON', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = compileCampaign(input);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on mutated valid campaigns, and every refusal has a message', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 7 }), fc.jsonValue(), (choices, replacement) => {
        const result = compileCampaign(mutate(spendAndPost(), choices, replacement));
        if (!result.ok) {
          expect(result.issues.length).toBeGreaterThan(0);
          for (const issue of result.issues) expect(issue.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
