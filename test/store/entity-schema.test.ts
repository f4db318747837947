import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { entities } from '../../src/store/entities';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** One column as both sides describe it, in words that can be compared. */
interface ColumnShape {
  table: string;
  column: string;
  type: string;
  nullable: boolean;
  hasDefault: boolean;
  primary: boolean;
}

const byName = (a: ColumnShape, b: ColumnShape) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`);

/** The columns of the entities' tables as TypeORM would read and write them. */
function entityColumns(ds: DataSource): ColumnShape[] {
  return ds.entityMetadatas
    .flatMap((m) =>
      m.columns.map((c) => ({
        table: m.tableName,
        column: c.databaseName,
        type: ds.driver.normalizeType(c),
        nullable: c.isNullable,
        hasDefault: c.default !== undefined || c.isCreateDate || c.isUpdateDate || c.isGenerated,
        primary: c.isPrimary,
      })),
    )
    .sort(byName);
}

/** The same tables' columns as the migrations made them. */
async function migratedColumns(ds: DataSource, tables: string[]): Promise<ColumnShape[]> {
  const rows: ColumnShape[] = await ds.query(
    `select c.table_name as "table", c.column_name as "column", c.data_type as "type",
            c.is_nullable = 'YES' as nullable, c.column_default is not null as "hasDefault",
            exists (select 1 from information_schema.table_constraints t
                      join information_schema.key_column_usage k on k.constraint_name = t.constraint_name and k.table_name = t.table_name
                     where t.table_name = c.table_name and t.constraint_type = 'PRIMARY KEY' and k.column_name = c.column_name) as primary
       from information_schema.columns c
      where c.table_schema = 'public' and c.table_name = any($1::text[])`,
    [tables],
  );
  return rows.sort(byName);
}

/** Differences between the entities and the migrated schema, one line each (empty: they agree). */
async function drift(entitySource: DataSource, migrated: DataSource): Promise<string[]> {
  const ours = entityColumns(entitySource);
  const tables = [...new Set(ours.map((c) => c.table))];
  const theirs = await migratedColumns(migrated, tables);
  const key = (c: ColumnShape) => `${c.table}.${c.column}`;
  const describe = (c: ColumnShape) => `${c.type}${c.nullable ? ' null' : ' not null'}${c.hasDefault ? ' default' : ''}${c.primary ? ' primary' : ''}`;
  const mine = new Map(ours.map((c) => [key(c), describe(c)]));
  const real = new Map(theirs.map((c) => [key(c), describe(c)]));
  const missingTables = tables.filter((t) => !theirs.some((c) => c.table === t)).map((t) => `${t}: no such table`);
  const diffs = [...new Set([...mine.keys(), ...real.keys()])].sort().flatMap((k) => {
    if (mine.get(k) === real.get(k)) return [];
    return [`${k}: entity ${mine.get(k) ?? 'has no such column'}, migrations ${real.get(k) ?? 'have no such column'}`];
  });
  return [...missingTables, ...diffs];
}

describe('entities and the migrated schema', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it('every entity maps its table exactly: same columns, types, nullability, defaults and primary key', async () => {
    expect(db.dataSource.entityMetadatas.map((m) => m.tableName).sort()).toEqual(
      ['campaign_versions', 'campaigns', 'pool_budget_shards', 'reward_pools', 'sources', 'user_profiles'],
    );
    expect(entities).toHaveLength(db.dataSource.entityMetadatas.length);
    expect(await drift(db.dataSource, db.dataSource)).toEqual([]);
  });

  it('a drifted entity is reported, column by column', async () => {
    // user_profiles as someone might misremember it: a wrong type, a lost default, a column the migrations never made.
    @Entity({ name: 'user_profiles' })
    class DriftedProfile {
      @PrimaryColumn({ name: 'user_id', type: 'text' })
      userId!: string;

      @Column({ type: 'json' })
      attributes!: object;

      @Column({ name: 'created_at', type: 'timestamptz' })
      createdAt!: Date;

      @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
      updatedAt!: Date;

      @Column({ type: 'text', nullable: true })
      locale!: string | null;
    }
    const drifted = new DataSource({ type: 'postgres', url: db.url, entities: [DriftedProfile] });
    await drifted.initialize();
    try {
      expect(await drift(drifted, db.dataSource)).toEqual([
        'user_profiles.attributes: entity json not null, migrations jsonb not null default',
        'user_profiles.created_at: entity timestamp with time zone not null, migrations timestamp with time zone not null default',
        'user_profiles.locale: entity text null, migrations have no such column',
      ]);
    } finally {
      await drifted.destroy();
    }
  });
});
