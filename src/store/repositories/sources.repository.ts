import type { DataSource } from 'typeorm';

export interface SourceRow {
  key: string;
  broker: string;
  version: number;
  /** As validated when it was stored; readers parse it again with SourceDefinition. */
  definition: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

type Row = Record<string, unknown>;
const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));
const toSource = (r: Row): SourceRow => ({
  key: r.key as string,
  broker: r.broker as string,
  version: r.version as number,
  definition: r.definition as Record<string, unknown>,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

/** Event sources. Every write fires the `sources` trigger, which notifies `kairos_sources` (migration EventSources). */
export class SourcesRepository {
  constructor(private readonly ds: DataSource) {}

  /** Null when the key is taken. */
  async create(key: string, broker: string, definition: Record<string, unknown>): Promise<SourceRow | null> {
    const rows: Row[] = await this.ds.query(
      `insert into sources (key, broker, definition) values ($1, $2, $3::jsonb) on conflict (key) do nothing returning *`,
      [key, broker, JSON.stringify(definition)],
    );
    return rows[0] ? toSource(rows[0]) : null;
  }

  /** Replaces the definition and bumps the version; null when there is no such source. */
  async replace(key: string, broker: string, definition: Record<string, unknown>): Promise<SourceRow | null> {
    const rows: Row[] = await this.ds.query(
      `with u as (update sources set broker = $2, definition = $3::jsonb, version = version + 1, updated_at = now() where key = $1 returning *) select * from u`,
      [key, broker, JSON.stringify(definition)],
    );
    return rows[0] ? toSource(rows[0]) : null;
  }

  async get(key: string): Promise<SourceRow | null> {
    const rows: Row[] = await this.ds.query(`select * from sources where key = $1`, [key]);
    return rows[0] ? toSource(rows[0]) : null;
  }

  async list(): Promise<SourceRow[]> {
    const rows: Row[] = await this.ds.query(`select * from sources order by key`);
    return rows.map(toSource);
  }
}
