import fc from 'fast-check';
import { spendAndPost } from '../testing/campaigns';
import { mutate } from '../testing/mutate';
import { compileCampaign } from './index';

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
