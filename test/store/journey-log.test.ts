import { JourneyContextRepository } from '../../src/store/repositories/journey-context.repository';
import { TransitionsRepository, type TransitionRecord } from '../../src/store/repositories/transitions.repository';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const record = (key: string, from: string | null, to: string, at: string): TransitionRecord => ({
  idempotencyKey: key,
  campaignKey: 'c',
  campaignVersion: 1,
  userId: 'u',
  workflowId: 'journey:c:u',
  fromState: from,
  toState: to,
  at,
  cause: 'test',
});

describe('the journey log on PostgreSQL', () => {
  let db: TestDatabase;
  let log: TransitionsRepository;
  let context: JourneyContextRepository;
  beforeAll(async () => {
    db = await createTestDatabase();
    log = new TransitionsRepository(db.dataSource);
    context = new JourneyContextRepository(db.dataSource);
  });
  afterAll(async () => db?.drop());

  it('writes a batch in its order, and a key written again takes the later write', async () => {
    const first = [record('b:run1:1', null, 'a', '2026-01-01T00:00:00Z'), record('b:run1:2', 'a', 'b', '2026-01-01T00:00:01Z')];
    expect(await log.recordMany(first)).toBe(2);
    // A retried workflow task writes the same keys again; its values win.
    expect(await log.recordMany([record('b:run1:2', 'a', 'c', '2026-01-01T00:00:02Z'), record('b:run1:3', 'c', 'd', '2026-01-01T00:00:03Z')])).toBe(2);
    const rows = await db.dataSource.query(`select idempotency_key as k, to_state as t from journey_transitions where idempotency_key like 'b:%' order by id`);
    expect(rows).toEqual([
      { k: 'b:run1:1', t: 'a' },
      { k: 'b:run1:2', t: 'c' },
      { k: 'b:run1:3', t: 'd' },
    ]);
    expect(await log.recordMany([])).toBe(0);
  });

  it("counts prior entries without the asking execution's own", async () => {
    await log.recordMany([
      record('journey:c:u:exec1:1', null, 'a', '2026-02-01T00:00:00Z'),
      record('journey:c:u:exec2:1', null, 'a', '2026-02-02T00:00:00Z'),
      record('journey:c:u:exec2:2', 'a', 'b', '2026-02-02T00:00:01Z'),
    ]);
    const all = await context.priorEntries('c', 'u', 10);
    const withoutExec2 = await context.priorEntries('c', 'u', 10, 'journey:c:u:exec2:');
    // The b:* rows of the first test are entries too (from null): 1 there, 2 here.
    expect(all.count).toBe(3);
    expect(withoutExec2.count).toBe(2);
    expect(withoutExec2.times).toEqual(['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z']);
    expect((await context.priorEntries('c', 'u', 1)).times).toEqual(['2026-02-02T00:00:00.000Z']);
  });
});
