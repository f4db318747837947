import { campaignWith } from '../domain/testing/campaigns';
import { PlanStore, type DefinitionSource } from './plan-store';
import { credentialedHook } from '../domain/testing/credentialed-hook';

/** Stored versions in memory, counting the reads that reach the "database". */
function source(versions: Record<string, Record<string, unknown>>): DefinitionSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    async definition(key, version) {
      reads.push(`${key}@${version}`);
      return versions[`${key}@${version}`] ?? null;
    },
  };
}

const valid = (key: string) => ({ ...campaignWith({ start: { end: true } }), key });

describe('the plan store', () => {
  it('reads and compiles a stored version once, then serves it from memory', async () => {
    const db = source({ 'a@1': valid('a') });
    const plans = new PlanStore(db);
    const first = await plans.plan('a', 1);
    const again = await plans.plan('a', 1);
    expect(first?.ok && first.value.key).toBe('a');
    expect(again).toBe(first);
    expect(await plans.definition('a', 1)).toEqual(valid('a'));
    expect(db.reads).toEqual(['a@1']);
  });

  it('answers null for a version that does not exist, and asks again next time', async () => {
    const db = source({});
    const plans = new PlanStore(db);
    expect(await plans.plan('nope', 3)).toBeNull();
    expect(await plans.definition('nope', 3)).toBeNull();
    expect(db.reads).toEqual(['nope@3', 'nope@3']);
  });

  it('reports a stored version that no longer compiles with its issues', async () => {
    const plans = new PlanStore(source({ 'bad@1': { key: 'bad' } }));
    const compiled = await plans.plan('bad', 1);
    expect(compiled?.ok).toBe(false);
    expect(compiled && !compiled.ok && compiled.issues.length).toBeGreaterThan(0);
  });

  it("gives a campaign's active plan: none without an active version or when the stored one no longer compiles", async () => {
    const db = source({ 'a@2': valid('a'), 'bad@1': { key: 'bad' } });
    const plans = new PlanStore(db);
    expect((await plans.activePlan({ key: 'a', activeVersion: 2 }))?.version).toBe(2);
    expect(await plans.activePlan({ key: 'a', activeVersion: null })).toBeNull();
    expect(await plans.activePlan({ key: 'bad', activeVersion: 1 })).toBeNull();
    expect(db.reads).toEqual(['a@2', 'bad@1']);
  });

  it('compiles a definition the caller holds under its version, shared with later reads', async () => {
    const db = source({});
    const plans = new PlanStore(db);
    const held = plans.planOf('b', 2, valid('b'));
    expect(held.ok).toBe(true);
    expect(await plans.plan('b', 2)).toBe(held);
    expect(db.reads).toEqual([]);
  });

  it('names a version only once it is compiled here, without reading or compiling (the start memo)', async () => {
    const db = source({ 'a@1': valid('a'), 'bad@1': { key: 'bad' } });
    const plans = new PlanStore(db);
    expect(plans.cachedName('a', 1)).toBeUndefined();
    await plans.definition('a', 1);
    expect(plans.cachedName('a', 1)).toBeUndefined();
    const compiled = await plans.plan('a', 1);
    expect(plans.cachedName('a', 1)).toBe(compiled?.ok ? compiled.value.name : 'not compiled');
    await plans.plan('bad', 1);
    expect(plans.cachedName('bad', 1)).toBeUndefined();
    expect(db.reads).toEqual(['a@1', 'bad@1']);
  });

  it('keeps at most its bound, dropping the least recently used version', async () => {
    const db = source({ 'a@1': valid('a'), 'b@1': valid('b'), 'c@1': valid('c') });
    const plans = new PlanStore(db, 2);
    await plans.plan('a', 1);
    await plans.plan('b', 1);
    await plans.plan('a', 1); // a is now the most recent
    await plans.plan('c', 1); // drops b
    await plans.plan('a', 1);
    await plans.plan('b', 1);
    expect(db.reads).toEqual(['a@1', 'b@1', 'c@1', 'b@1']);
  });
});

/**
 * Versions saved before the schema refused what they hold (review-62, finding 1): a webhook URL with
 * credentials (refused since dd77c32a), a day the month lacks (since 52d72c4d). Their journeys run them.
 */
const hook = credentialedHook();
const endsOnADayFebruaryLacks = { ...valid('feb'), schedule: { endsAt: '2027-02-29T00:00:00Z' } };

describe('the plan store on versions saved before a schema rule refused them (review-62, finding 1)', () => {
  it('compiles them as their journeys do, not against today\'s schema', async () => {
    const plans = new PlanStore(source({ 'hook@3': hook, 'feb@1': endsOnADayFebruaryLacks }));
    const compiled = await plans.plan('hook', 3);
    expect(compiled?.ok && [...compiled.value.entryTypes, ...compiled.value.listenTypes]).toEqual(expect.arrayContaining(['order.completed', 'order.shipped']));
    expect((await plans.plan('feb', 1))?.ok).toBe(true);
    expect((await plans.activePlan({ key: 'feb', activeVersion: 1 }))?.version).toBe(1);
  });
});

