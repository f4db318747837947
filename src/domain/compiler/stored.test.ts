import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import fc from 'fast-check';
import { applyCampaignDefaults } from '../campaign/defaults';
import { parseCampaign, type CampaignInput } from '../campaign/schema';
import { spendAndPost } from '../testing/campaigns';
import { mutate } from '../testing/mutate';
import { compileCampaign, compileStoredCampaign } from './index';

/**
 * The journey workflow compiles stored definitions without zod. For anything
 * the schema accepts, that must give what the schema's own defaults give.
 */
function expectSameAsSchema(raw: unknown): boolean {
  const parsed = parseCampaign(raw);
  // Only what the schema accepts has a plan to compare; callers check that enough did.
  if (!parsed.ok) return false;
  expect(applyCampaignDefaults(raw as CampaignInput)).toEqual(parsed.value);
  const viaSchema = compileCampaign(raw);
  const stored = compileStoredCampaign(raw);
  expect(stored.ok).toBe(viaSchema.ok);
  if (stored.ok && viaSchema.ok) {
    expect(stored.value.summary).toEqual(viaSchema.value.summary);
    expect(stored.value.definition).toEqual(viaSchema.value.definition);
  } else if (!stored.ok && !viaSchema.ok) {
    expect(stored.issues).toEqual(viaSchema.issues);
  }
  return true;
}

describe('compileStoredCampaign', () => {
  const dir = join(__dirname, '../../../examples/campaigns');
  it.each(readdirSync(dir).filter((f) => f.endsWith('.json')))('%s: the same plan as through the schema', (file) => {
    const raw: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    expect(expectSameAsSchema(raw)).toBe(true);
  });

  it('fills every default the schema has', () => {
    const raw = { key: 'k', name: 'n', entry: { on: 'a' }, initial: 's', states: { s: { end: true } } };
    const plan = compileStoredCampaign(raw);
    expect(plan.ok && plan.value.participation).toMatchObject({ maxEntries: 1, mode: 'serial', maxActive: 1 });
    expect(plan.ok && plan.value.definition).toEqual({ ...raw, participation: { maxEntries: 1, mode: 'serial' }, exitOn: [], states: { s: { end: true, transitions: [] } } });
    expect(expectSameAsSchema(raw)).toBe(true);
  });

  it('agrees with the schema path on mutated campaigns', () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 7 }), fc.jsonValue(), (choices, replacement) => {
        if (expectSameAsSchema(mutate(spendAndPost(), choices, replacement))) compared++;
      }),
      { numRuns: 300 },
    );
    // Mutations the schema refuses compare nothing (about 9 in 10 of them): make sure some were compared.
    expect(compared).toBeGreaterThanOrEqual(10);
  });

  it('reports a damaged stored definition instead of throwing', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = compileStoredCampaign(input);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
    const damaged = compileStoredCampaign({ key: 'k', states: 'nope' });
    expect(damaged.ok).toBe(false);
  });
});
