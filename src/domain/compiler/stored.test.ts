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
function expectSameAsSchema(raw: unknown): void {
  const parsed = parseCampaign(raw);
  if (!parsed.ok) return;
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
}

describe('compileStoredCampaign', () => {
  const dir = join(__dirname, '../../../examples/campaigns');
  it.each(readdirSync(dir).filter((f) => f.endsWith('.json')))('%s: the same plan as through the schema', (file) => {
    const raw: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    expect(parseCampaign(raw).ok).toBe(true);
    expectSameAsSchema(raw);
  });

  it('fills every default the schema has', () => {
    const raw = { key: 'k', name: 'n', entry: { on: 'a' }, initial: 's', states: { s: { end: true } } };
    const plan = compileStoredCampaign(raw);
    expect(plan.ok && plan.value.participation).toMatchObject({ maxEntries: 1, mode: 'serial', maxActive: 1 });
    expect(plan.ok && plan.value.definition).toEqual({ ...raw, participation: { maxEntries: 1, mode: 'serial' }, exitOn: [], states: { s: { end: true, transitions: [] } } });
    expectSameAsSchema(raw);
  });

  it('agrees with the schema path on mutated campaigns', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 7 }), fc.jsonValue(), (choices, replacement) => {
        expectSameAsSchema(mutate(spendAndPost(), choices, replacement));
      }),
      { numRuns: 300 },
    );
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
