import { KEYS_PER_EVENT, VocabularyRepository } from '../../src/store/repositories/vocabulary.repository';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** `n` keys named k000, k001, ...: all of one length, so jsonb's order is theirs. */
const keys = (n: number, from = 0) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${String(from + i).padStart(3, '0')}`, 1]));

/** The vocabulary's bounds against real PostgreSQL: the first 100 keys of each event or profile listed, and the rest said. */
describe('vocabulary: keys read from events and profiles', () => {
  let db: TestDatabase;
  let vocabulary: VocabularyRepository;
  beforeAll(async () => {
    db = await createTestDatabase();
    vocabulary = new VocabularyRepository(db.dataSource);
  });
  afterAll(async () => db?.drop());

  const storeEvent = (id: string, type: string, properties: object) =>
    db.dataSource.query(`insert into events (id, type, user_id, occurred_at, properties) values ($1, $2, 'u', now(), $3::jsonb)`, [id, type, JSON.stringify(properties)]);
  const storeProfile = (userId: string, attributes: object) =>
    db.dataSource.query(`insert into user_profiles (user_id, attributes) values ($1, $2::jsonb)`, [userId, JSON.stringify(attributes)]);

  it('lists exactly the first 100 keys of a profile with 150, and says the list is cut', async () => {
    await storeProfile('u-wide', keys(150));
    const profile = await vocabulary.profileAttributeKeys(10);
    expect({ listed: profile.keys.length, last: profile.keys.at(-1), truncated: profile.truncated }).toEqual({ listed: KEYS_PER_EVENT, last: 'k099', truncated: true });
  });

  it('lists exactly the first 100 keys of an event with 150, the shortest names first', async () => {
    // 149 long names and one short one written last: jsonb puts the short one first.
    const properties = { ...Object.fromEntries(Array.from({ length: 149 }, (_, i) => [`long${String(i).padStart(3, '0')}`, 1])), z: 1 };
    await storeEvent('e-wide', 'wide.event', properties);
    const [wide] = (await vocabulary.recentEventKeys(10)).filter((t) => t.type === 'wide.event');
    expect({ listed: wide.properties.length, hasShort: wide.properties.includes('z'), truncated: wide.truncated }).toEqual({ listed: KEYS_PER_EVENT, hasShort: true, truncated: true });
  });

  it('says nothing is cut when every profile and event has at most 100 keys', async () => {
    await db.dataSource.query(`delete from user_profiles`);
    await db.dataSource.query(`delete from events`);
    await storeProfile('u-full', keys(100));
    await storeProfile('u-other', keys(100, 50));
    await storeEvent('e-full', 'full.event', keys(100));
    expect(await vocabulary.profileAttributeKeys(10)).toEqual({ keys: Object.keys(keys(150)), truncated: false });
    expect(await vocabulary.recentEventKeys(10)).toEqual([{ type: 'full.event', count: 1, properties: Object.keys(keys(100)), truncated: false }]);
  });
});
