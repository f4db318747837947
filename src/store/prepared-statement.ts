import type { Pool, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * A fixed statement run as a named prepared statement on the data source's
 * pg pool: each connection parses and plans it once, then reuses the plan.
 * TypeORM's `query()` sends every statement unnamed, so PostgreSQL plans it
 * anew each time; for the ingest path's CTEs the planning cost about as much
 * PostgreSQL CPU as running them (a store and its record: 0.7-1.0 ms prepared
 * against 1.3-1.7 ms unnamed, measured one at a time).
 *
 * The result's columns must not depend on a table's columns (no `select *`
 * at the top): a migration that adds a column would otherwise fail a running
 * instance's cached statement ("cached plan must not change result type").
 * Errors are pg's own (SQLSTATE in `code`), which the error mapping reads as
 * it reads TypeORM's wrapped ones.
 */
export class PreparedStatement<R extends QueryResultRow> {
  constructor(
    /** Unique among the process's prepared statements. */
    readonly name: string,
    readonly text: string,
  ) {}

  async run(ds: DataSource, values: unknown[]): Promise<R[]> {
    // TypeORM's PostgresDriver keeps its pg Pool as `master` (without replication, the only one).
    const pool = (ds.driver as unknown as { master?: Pool }).master;
    // ds.query() is no stand-in: it answers an UPDATE ... RETURNING as [rows, count], not rows.
    if (!pool) throw new Error(`Prepared statement ${this.name} needs TypeORM's PostgreSQL driver and its pg pool.`);
    return (await pool.query<R>({ name: this.name, text: this.text, values })).rows;
  }
}
