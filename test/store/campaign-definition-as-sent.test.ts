import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { CampaignsRepository } from '../../src/store/repositories/campaigns.repository';

/** Migration CampaignDefinitionAsSent over versions stored before it, and back. */
describe('campaign_versions.definition_as_sent', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  /** Undoes the migrations after CampaignDefinitionAsSent and then it, whatever came later. */
  const undoThroughIt = async (ds: DataSource) => {
    for (;;) {
      const [last] = await ds.query(`select name from migrations order by id desc limit 1`);
      await ds.undoLastMigration();
      if (last.name === 'CampaignDefinitionAsSent1765300000000') return;
    }
  };

  const definition = { key: 'before', name: 'Stored before', entry: { on: 'order.completed' }, initial: 'waiting', states: { waiting: { end: true } } };

  it('keeps every version stored before it, readable and looked into as before; undone, the jsonb column is back with the same content', async () => {
    const ds = db.dataSource;
    await undoThroughIt(ds);
    // The schema as it was: one jsonb column.
    await ds.query(`insert into campaigns (key, name, status) values ('before', 'Stored before', 'draft')`);
    await ds.query(`insert into campaign_versions (campaign_key, version, definition) values ('before', 1, $1::jsonb)`, [JSON.stringify(definition)]);
    await ds.runMigrations();

    const repo = new CampaignsRepository(ds);
    expect(await repo.definition('before', 1)).toEqual(definition);
    const [row] = await ds.query(`select definition_as_sent::jsonb = definition as same, definition -> 'entry' ->> 'on' as "on" from campaign_versions where campaign_key = 'before'`);
    expect(row).toEqual({ same: true, on: 'order.completed' });
    // Written from now on: json keeps the order, the generated jsonb follows.
    expect(await repo.addVersion('before', 'Stored after', { states: { waiting: { end: true } }, name: 'Stored after', key: 'before' })).toEqual({ version: 2 });
    expect(JSON.stringify(await repo.definition('before', 2))).toBe('{"states":{"waiting":{"end":true}},"name":"Stored after","key":"before"}');
    await expect(ds.query(`update campaign_versions set definition = '{}'::jsonb where campaign_key = 'before'`)).rejects.toThrow(/can only be updated to DEFAULT/);

    await undoThroughIt(ds);
    const back: Array<{ version: number; definition: unknown }> = await ds.query(`select version, definition from campaign_versions where campaign_key = 'before' order by version`);
    expect(back).toEqual([
      { version: 1, definition },
      { version: 2, definition: { states: { waiting: { end: true } }, name: 'Stored after', key: 'before' } },
    ]);
    await ds.runMigrations();
  });
});
