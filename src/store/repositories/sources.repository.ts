import type { DataSource, EntityManager } from 'typeorm';
import type { SourceDefinition } from '../../ingest/source-definition';
import { insertInto, updateWhere } from '../entities/shallow-writes';
import { SourceEntity } from '../entities/source.entity';
import { storedJson, type JsonObject } from '../json';

export interface SourceRow {
  key: string;
  broker: string;
  version: number;
  /** As validated when it was stored; readers parse it again with SourceDefinition. */
  definition: JsonObject;
  createdAt: string;
  updatedAt: string;
}

const toSource = (s: SourceEntity): SourceRow => ({
  key: s.key,
  broker: s.broker,
  version: s.version,
  definition: s.definition,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});

/** Looks at the stored sources before a write; throws to refuse it. */
export type Refuse = (stored: SourceRow[]) => void;

/** Event sources. Every write fires the `sources` trigger, which notifies `kairos_sources` (migration EventSources). */
export class SourcesRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Null when the key is taken. `refuse` sees the stored sources first and
   * throws to write nothing; sources are written one at a time, so two
   * concurrent writes cannot both pass it.
   */
  async create(key: string, broker: SourceDefinition['broker'], definition: SourceDefinition, refuse: Refuse = () => undefined): Promise<SourceRow | null> {
    return this.ds.transaction(async (tx) => {
      await this.checked(tx, refuse);
      const inserted = await insertInto(tx, SourceEntity, { key, broker, definition: storedJson(definition) }).orIgnore().returning(['key']).execute();
      return inserted.raw.length === 0 ? null : this.find(tx, key);
    });
  }

  /** Replaces the definition and bumps the version; null when there is no such source. `refuse` as for create. */
  async replace(key: string, broker: SourceDefinition['broker'], definition: SourceDefinition, refuse: Refuse = () => undefined): Promise<SourceRow | null> {
    return this.ds.transaction(async (tx) => {
      await this.checked(tx, refuse);
      const { affected } = await updateWhere(tx, SourceEntity, { key }, { broker, definition: storedJson(definition), version: () => 'version + 1' });
      return affected ? this.find(tx, key) : null;
    });
  }

  /** Removes the source; null when there was none. The trigger tells every API instance, whose supervisors stop its consumer. */
  async delete(key: string): Promise<SourceRow | null> {
    return this.ds.transaction(async (tx) => {
      const row = await this.find(tx, key);
      if (row) await tx.delete(SourceEntity, { key });
      return row;
    });
  }

  async get(key: string): Promise<SourceRow | null> {
    return this.find(this.ds.manager, key);
  }

  async list(): Promise<SourceRow[]> {
    return (await this.ds.manager.find(SourceEntity, { order: { key: 'ASC' } })).map(toSource);
  }

  /** Takes the sources' write lock for the transaction, then lets `refuse` look at what is stored. */
  private async checked(tx: EntityManager, refuse: Refuse): Promise<void> {
    await tx.query(`select pg_advisory_xact_lock(hashtextextended('kairos.sources', 0))`);
    refuse((await tx.find(SourceEntity, { order: { key: 'ASC' } })).map(toSource));
  }

  private async find(manager: EntityManager, key: string): Promise<SourceRow | null> {
    const found = await manager.findOneBy(SourceEntity, { key });
    return found ? toSource(found) : null;
  }
}
