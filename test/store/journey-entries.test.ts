import { JourneyEntries1764300000002 } from '../../src/store/migrations/1764300000002-journey-entries';
import { JourneyContextRepository } from '../../src/store/repositories/journey-context.repository';
import { TransitionsRepository, type TransitionRecord } from '../../src/store/repositories/transitions.repository';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const record = (user: string, key: string, from: string | null, to: string, at: string): TransitionRecord => ({
  idempotencyKey: key,
  campaignKey: 'c',
  campaignVersion: 1,
  userId: user,
  workflowId: `journey:c:${user}`,
  fromState: from,
  toState: to,
  at,
  cause: 'test',
});

describe('journey entries', () => {
  let db: TestDatabase;
  let log: TransitionsRepository;
  let context: JourneyContextRepository;
  beforeAll(async () => {
    db = await createTestDatabase();
    log = new TransitionsRepository(db.dataSource);
    context = new JourneyContextRepository(db.dataSource);
  });
  afterAll(async () => db?.drop());

  const entries = (user: string) =>
    db.dataSource.query(`select entry_no as n, transition_key as k from journey_entries where campaign_key = 'c' and user_id = $1 order by entry_no`, [user]);

  it('numbers each entry once, after the last one, whatever writes it and however often', async () => {
    await log.recordMany([record('u1', 'r1:1', null, 'a', '2026-01-01T00:00:00Z'), record('u1', 'r1:2', 'a', 'end', '2026-01-01T00:00:01Z')]);
    await log.record(record('u1', 'r2:1', null, 'a', '2026-01-02T00:00:00Z'));
    // Retried writes (batched and single) of keys already stored: no new entry, no new number.
    await log.recordMany([record('u1', 'r1:1', null, 'a', '2026-01-01T00:00:00Z'), record('u1', 'r3:1', null, 'a', '2026-01-03T00:00:00Z')]);
    await log.record(record('u1', 'r2:1', null, 'a', '2026-01-02T00:00:00Z'));
    // Two entries of one execution in one batch, and another user's entry alongside.
    await log.recordMany([record('u1', 'r4:1', null, 'a', '2026-01-04T00:00:00Z'), record('u2', 'q1:1', null, 'a', '2026-01-04T00:00:00Z'), record('u1', 'r4:2', null, 'b', '2026-01-04T00:00:01Z')]);
    expect(await entries('u1')).toEqual([
      { n: 1, k: 'r1:1' },
      { n: 2, k: 'r2:1' },
      { n: 3, k: 'r3:1' },
      { n: 4, k: 'r4:1' },
      { n: 5, k: 'r4:2' },
    ]);
    expect(await entries('u2')).toEqual([{ n: 1, k: 'q1:1' }]);
    expect(await context.priorEntries('c', 'u1', 2)).toEqual({ count: 5, times: ['2026-01-04T00:00:00.000Z', '2026-01-04T00:00:01.000Z'] });
    expect((await context.priorEntries('c', 'u1', 10, 'r4:')).count).toBe(3);
  });

  it('a pruned journey log neither lowers the count nor gives an entry number out again', async () => {
    await log.recordMany([record('u3', 'p1:1', null, 'a', '2026-03-01T00:00:00Z'), record('u3', 'p2:1', null, 'a', '2026-03-02T00:00:00Z')]);
    await db.dataSource.query(`delete from journey_transitions where user_id = 'u3'`);
    expect(await context.priorEntries('c', 'u3', 10)).toEqual({ count: 2, times: ['2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z'] });
    await log.recordMany([record('u3', 'p3:1', null, 'a', '2026-03-03T00:00:00Z')]);
    expect((await entries('u3')).map((e: { n: number }) => e.n)).toEqual([1, 2, 3]);
  });

  it('the migration numbers the entries already in the journey log, in its order', async () => {
    const migration = new JourneyEntries1764300000002();
    const runner = db.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      await db.dataSource.query(`delete from journey_transitions`);
      await db.dataSource.query(
        `insert into journey_transitions (idempotency_key, campaign_key, campaign_version, user_id, workflow_id, from_state, to_state, at, cause)
         values ('old:2', 'c', 1, 'u9', 'w', null, 'a', '2025-01-02T00:00:00Z', 'x'),
                ('old:1', 'c', 1, 'u9', 'w', null, 'a', '2025-01-01T00:00:00Z', 'x'),
                ('old:1b', 'c', 1, 'u9', 'w', 'a', 'b', '2025-01-01T00:00:01Z', 'x'),
                ('old:3', 'd', 1, 'u9', 'w', null, 'a', '2025-01-03T00:00:00Z', 'x')`,
      );
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await entries('u9')).toEqual([
      { n: 1, k: 'old:1' },
      { n: 2, k: 'old:2' },
    ]);
    expect((await context.priorEntries('d', 'u9', 10)).count).toBe(1);
  });
});
