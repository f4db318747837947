import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createRetentionActivities } from '../../src/activities/retention/retention-activities';
import { openDataSource } from '../../src/store/data-source';
import { RetentionRepository } from '../../src/store/repositories/retention.repository';
import { sqlState } from '../../src/store/sql-state';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(Date.now() - d * DAY);

/**
 * Retention statements end within their activity attempt whatever
 * DATABASE_STATEMENT_TIMEOUT_MS says, here none (0): a statement waiting on a
 * lock held elsewhere is stopped at the bound, instead of waiting on (and
 * running beside the retry Temporal starts once the attempt has timed out).
 * Review 54 (retention), finding 2.
 */
describe('retention statements bounded by their attempt, not by DATABASE_STATEMENT_TIMEOUT_MS', () => {
  let db: TestDatabase;
  const opened: DataSource[] = [];
  const holders: Client[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(holders.splice(0).map((c) => c.end().catch(() => undefined)));
    await Promise.all(opened.splice(0).map((ds) => ds.destroy().catch(() => undefined)));
    await db?.drop();
  });

  const open = async (statementTimeoutMs: number) => {
    const ds = await openDataSource({ url: db.url, statementTimeoutMs, poolSize: 2 });
    opened.push(ds);
    return ds;
  };
  /** Another session holding `sql`'s row locks in an open transaction, until release. */
  const holdLocks = async (sql: string, params: unknown[]) => {
    const holder = new Client({ connectionString: db.url });
    holders.push(holder);
    await holder.connect();
    await holder.query('begin');
    expect((await holder.query(sql, params)).rowCount).toBe(1);
    return { release: () => holder.query('rollback') };
  };
  /** A journey's moves a → b → c, all older than the journey log's window: a → b goes, b → c is folded into a → c. */
  const seedMoves = async (workflowId: string) => {
    const moves: Array<[string | null, string]> = [[null, 'a'], ['a', 'b'], ['b', 'c']];
    for (const [n, [from, to]] of moves.entries()) {
      await db.dataSource.query(
        `insert into journey_transitions (idempotency_key, campaign_key, campaign_version, user_id, workflow_id, from_state, to_state, at, cause)
         values ($1, 'ret-bound', 1, 'seed', $2, $3, $4, $5, 'seed')`,
        [`${workflowId}-${n}`, workflowId, from, to, new Date(daysAgo(500).getTime() + n * 1000)],
      );
    }
  };
  const statementTimeouts = async (ds: DataSource) =>
    (await Promise.all([ds.query('show statement_timeout'), ds.query('show statement_timeout')])).flat().map((r: { statement_timeout: string }) => r.statement_timeout);

  it('stops a journey-log prune waiting on a row locked elsewhere at its bound, and leaves the session as it was', async () => {
    const ds = await open(0);
    await seedMoves('journey:ret-bound:u1');
    const lock = await holdLocks(`select id from journey_transitions where idempotency_key = $1 for update`, ['journey:ret-bound:u1-2']);
    const err: unknown = await new RetentionRepository(ds, () => 1_000).pruneJourneyLog(daysAgo(400), null, 100).catch((e) => e);
    // 57014: query_canceled, by the statement_timeout the repository set.
    expect(sqlState(err)).toBe('57014');
    await lock.release();
    // Nothing changed meanwhile; once the lock is gone, the batch goes through.
    expect((await new RetentionRepository(ds, () => 1_000).pruneJourneyLog(daysAgo(400), null, 100)).deleted).toBe(1);
    // The bound was the transaction's own: the pool's connections keep DATABASE_STATEMENT_TIMEOUT_MS (here none).
    expect(await statementTimeouts(ds)).toEqual(['0', '0']);
  });

  it("stops an events batch's delete waiting on an event a cancel holds, within the activity call's time", async () => {
    const ds = await open(0);
    await db.dataSource.query(`insert into events (id, type, user_id, occurred_at, received_at) values ('bound-old', 'order.completed', 'seed', $1, $1)`, [daysAgo(100)]);
    // As POST /v1/events/:id/cancel locks its event.
    const lock = await holdLocks(`select id from events where id = $1 for update`, ['bound-old']);
    const { pruneExpired } = createRetentionActivities({ dataSource: ds, attemptMs: 2_000 });
    const input = { kind: 'events' as const, cutoff: daysAgo(90).toISOString(), limit: 10, after: null };
    const err: unknown = await pruneExpired(input).catch((e) => e);
    // Stopped by the statement's bound, or (on a machine too slow to reach the delete in time) not started at all.
    expect(sqlState(err) === '57014' || (err as Error).name === 'RetentionOutOfTimeError').toBe(true);
    expect(await db.dataSource.query(`select id from events where id = 'bound-old'`)).toEqual([{ id: 'bound-old' }]);
    await lock.release();
    expect((await pruneExpired(input)).deleted).toBe(1);
  });

  it('keeps DATABASE_STATEMENT_TIMEOUT_MS where it is the shorter', async () => {
    const ds = await open(300);
    await seedMoves('journey:ret-bound:u2');
    const lock = await holdLocks(`select id from journey_transitions where idempotency_key = $1 for update`, ['journey:ret-bound:u2-2']);
    const err: unknown = await new RetentionRepository(ds, () => 3_600_000).pruneJourneyLog(daysAgo(400), null, 100).catch((e) => e);
    expect(sqlState(err)).toBe('57014');
    await lock.release();
    expect(await statementTimeouts(ds)).toEqual(['300ms', '300ms']);
  });
});
