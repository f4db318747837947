import { jsonBytes } from '../../src/domain/json-size';
import { UserProfilesRepository } from '../../src/store/repositories/user-profiles.repository';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** MAX_PROFILE_ATTRIBUTES_BYTES as test/payload-caps.test.ts sets it. */
const CAP = 64 * 1024;

/** `{"k0000":0,...}`: about 10 bytes an attribute as compact JSON, 12 in jsonb's text form (`"k0000": 0, `). */
const smallAttributes = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${String(i).padStart(4, '0')}`, 0]));

/**
 * The profile merge against real PostgreSQL: weighed as compact JSON on every
 * write (as the request was), so a profile accepted once is not refused when
 * written again or made smaller; atomic, so racing writes lose nothing.
 */
describe('user profiles: merging under the size cap', () => {
  let db: TestDatabase;
  let profiles: UserProfilesRepository;
  beforeAll(async () => {
    db = await createTestDatabase();
    profiles = new UserProfilesRepository(db.dataSource);
  });
  afterAll(async () => db?.drop());

  const stored = async (userId: string) => {
    const rows: Array<{ attributes: Record<string, unknown> }> = await db.dataSource.query(`select attributes from user_profiles where user_id = $1`, [userId]);
    return rows[0]?.attributes;
  };

  it('takes the same profile again and a removal from it, though its jsonb text is past the cap', async () => {
    const attributes = smallAttributes(6000);
    expect(jsonBytes(attributes)).toBeLessThan(CAP);
    // The case: the jsonb text form of what is stored weighs more than the cap.
    const [{ textBytes }] = await db.dataSource.query(`select octet_length($1::jsonb::text) as "textBytes"`, [JSON.stringify(attributes)]);
    expect(textBytes).toBeGreaterThan(CAP);

    expect(await profiles.merge('u-4', attributes, [], CAP)).toMatchObject({ id: 'u-4' });
    // A client retrying after a timeout.
    expect(await profiles.merge('u-4', attributes, [], CAP)).toMatchObject({ id: 'u-4' });
    const removed = await profiles.merge('u-4', {}, ['k0000'], CAP);
    expect(removed && Object.keys(removed.attributes)).toHaveLength(5999);
    expect(Object.keys((await stored('u-4')) ?? {})).toHaveLength(5999);
  });

  it('weighs numbers as JSON writes them, not as jsonb spells them out (1e300 in 301 digits)', async () => {
    const numbers = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`n${i}`, 1e300]));
    expect(await profiles.merge('u-numbers', numbers, [], CAP)).toMatchObject({ id: 'u-numbers' });
    const updated = await profiles.merge('u-numbers', { level: 2 }, [], CAP);
    expect(updated?.attributes).toMatchObject({ n0: 1e300, n249: 1e300, level: 2 });
  });

  it('refuses a merge past the cap, creating or changing nothing', async () => {
    expect(await profiles.merge('u-new-big', { notes: 'n'.repeat(CAP) }, [], CAP)).toBeNull();
    expect(await stored('u-new-big')).toBeUndefined();

    expect(await profiles.merge('u-2', { a: 'a'.repeat(40 * 1024) }, [], CAP)).not.toBeNull();
    expect(await profiles.merge('u-2', { b: 'b'.repeat(40 * 1024) }, [], CAP)).toBeNull();
    expect(Object.keys((await stored('u-2')) ?? {})).toEqual(['a']);
    // Making room in the same request works.
    expect(await profiles.merge('u-2', { b: 'b'.repeat(40 * 1024) }, ['a'], CAP)).not.toBeNull();
    expect(Object.keys((await stored('u-2')) ?? {})).toEqual(['b']);
  });

  it('never refuses a write that leaves the profile no heavier, even under a cap lowered since', async () => {
    expect(await profiles.merge('u-lowered', smallAttributes(100), [], CAP)).not.toBeNull();
    const lowered = 500;
    expect(await profiles.merge('u-lowered', { k0001: 1 }, [], lowered)).not.toBeNull();
    expect(await profiles.merge('u-lowered', {}, ['k0002'], lowered)).not.toBeNull();
    expect(await profiles.merge('u-lowered', { extra: 'x' }, [], lowered)).toBeNull();
    expect(Object.keys((await stored('u-lowered')) ?? {})).toHaveLength(99);
  });

  it('loses no attribute when merges of one user race, the first ones creating the profile', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => profiles.merge('u-race', { [`a${i}`]: i }, [], CAP)));
    expect(results.every((r) => r !== null)).toBe(true);
    expect(Object.keys((await stored('u-race')) ?? {}).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `a${i}`).sort());
  });

  it('keeps a key named like a prototype member as data', async () => {
    const merged = await profiles.merge('u-keys', { constructor: 'x', toString: 1 }, [], CAP);
    expect(merged?.attributes).toEqual({ constructor: 'x', toString: 1 });
  });
});
