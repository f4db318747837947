import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { migrate } from '../../src/store/data-source';
import { migrations } from '../../src/store/migrations';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * The interval reads' index by campaign, state and time (IntervalsWindowIndex1767000000000) takes minutes to
 * build on a large journey log; dropping the index it replaces waits for every transaction reading the log
 * (review-55 diff b, finding 1). A reader open past the lock timeout must cost only the drop, never the build.
 */
describe('the journey-log index migrations behind a long reader of the log', () => {
  let db: TestDatabase;
  let next: DataSource;
  const clients: Client[] = [];
  const indexExists = async (name: string) => (await db.dataSource.query(`select to_regclass($1) is not null as present`, [name]))[0].present as boolean;
  const applied = async (name: string) => (await db.dataSource.query(`select count(*)::int as n from migrations where name = $1`, [name]))[0].n as number;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Back to 1766900000000: the database a release without these indexes left.
    for (;;) {
      const [last] = await db.dataSource.query(`select name from migrations order by id desc limit 1`);
      if (last.name === 'IssueRewardsBatchTryLock1766900000000') break;
      await db.dataSource.undoLastMigration();
    }
    next = new DataSource({ type: 'postgres', url: db.url, migrations, extra: { max: 2 } });
    await next.initialize();
  });
  afterAll(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end().catch(() => undefined)));
    await next?.destroy();
    await db?.drop();
  });

  it('keeps the built index when the old index cannot be dropped in time, and drops it once the reader has ended', async () => {
    expect({ old: await indexExists('journey_transitions_campaign_idx'), built: await indexExists('journey_transitions_campaign_state_at_idx') }).toEqual({
      old: true,
      built: false,
    });
    const reader = new Client({ connectionString: db.url });
    await reader.connect();
    clients.push(reader);
    await reader.query('begin');
    await reader.query('select 1 from journey_transitions limit 1');

    const failed = await migrate(next, { lockTimeoutMs: 200, attempts: 1, pauseMs: 10 }).catch((e: Error) => e);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/^A migration could not take the locks it needs in 1 attempts/);
    // The build committed; only the drop gave way.
    expect(await applied('IntervalsWindowIndex1767000000000')).toBe(1);
    expect(await applied('DropJourneyCampaignIndex1767200000000')).toBe(0);
    expect({ old: await indexExists('journey_transitions_campaign_idx'), built: await indexExists('journey_transitions_campaign_state_at_idx') }).toEqual({
      old: true,
      built: true,
    });

    await reader.query('commit');
    await migrate(next, { lockTimeoutMs: 200, attempts: 1, pauseMs: 10 });
    expect(await applied('DropJourneyCampaignIndex1767200000000')).toBe(1);
    expect({ old: await indexExists('journey_transitions_campaign_idx'), built: await indexExists('journey_transitions_campaign_state_at_idx') }).toEqual({
      old: false,
      built: true,
    });
  });
});
