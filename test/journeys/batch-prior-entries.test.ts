import { AudienceRepository } from '../../src/store/repositories/audience.repository';
import { JourneyContextRepository } from '../../src/store/repositories/journey-context.repository';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { countingTupleReads } from '../support/tuple-reads';

/**
 * What a tick's page and a journey's start read of the users' past entries
 * (journey_entries): as much for a campaign that has ticked for years as for
 * a new one (review-50-batch, finding 2). Counted in tuples PostgreSQL read,
 * not in time.
 */
describe('prior entries: read in what a page or a start needs, not in how many entries there are', () => {
  const USERS = 200;
  const ENTRIES = 2000;
  // The tick this page belongs to; every user's latest entry is at its time (an earlier attempt of the page entered them).
  const tickAt = new Date('2027-06-01T07:00:00Z');
  const userIds = Array.from({ length: USERS }, (_, i) => `u${String(i + 1).padStart(3, '0')}`);
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    // 200 users with 2,000 daily entries each: a daily campaign five and a half years old.
    await db.dataSource.query(
      `insert into journey_entries (campaign_key, user_id, entry_no, transition_key, at)
       select 'daily', 'u' || lpad(u::text, 3, '0'), n, 'daily-' || u || '-' || n, $1::timestamptz - ($2 - n) * interval '1 day'
         from generate_series(1, $3::int) u, generate_series(1, $2::int) n`,
      [tickAt, ENTRIES, USERS],
    );
    await db.dataSource.query('analyze journey_entries');
  });
  afterAll(async () => db?.drop());

  /** Tuples read of journey_entries and its indexes (scans, index scans and heap fetches alike). */
  const countingEntryReads = (reads: number[]) => countingTupleReads(db.dataSource, 'journey_entries', reads, 'returned and fetched');

  it("a page reads a few of each user's latest entries, however many each has", async () => {
    const reads: number[] = [];
    const audience = new AudienceRepository(countingEntryReads(reads));
    // The depth a daily cron's page asks for: its one tick in the six hours around this one, and a few more.
    const depth = 5;
    const left = await audience.priorEntries('daily', userIds, 10_000, tickAt, depth);
    expect(left.spent.size).toBe(0);
    expect(left.nearTick.size).toBe(USERS);
    expect(left.nearTick.get('u001')).toEqual([tickAt]);
    const spent = await audience.priorEntries('daily', userIds, ENTRIES, tickAt, depth);
    expect(spent.spent.size).toBe(USERS);
    // Each statement: the latest `depth` entries of each of the page's users, read from the index and the table.
    // Reading every entry of each user was 2 x 400,000.
    for (const n of reads) expect(n).toBeLessThanOrEqual(2 * USERS * depth);
  });

  it("a journey's start reads the user's latest entries it keeps, and the last one's number, not every entry", async () => {
    const reads: number[] = [];
    const context = new JourneyContextRepository(countingEntryReads(reads));
    const keep = 20;
    const prior = await context.priorEntries('daily', 'u001', keep);
    expect(prior.count).toBe(ENTRIES);
    expect(prior.times).toHaveLength(keep);
    expect(prior.times.at(-1)).toBe(tickAt.toISOString());
    // Its own execution's entry left out (a retried workflow task), as before.
    expect((await context.priorEntries('daily', 'u001', keep, 'daily-1-2000')).count).toBe(ENTRIES - 1);
    // The last entry (1) and the `keep` latest, from the index and the table; every entry, twice, was over 4,000.
    for (const n of reads) expect(n).toBeLessThan(2 * (keep + 2) + 10);
  });
});
