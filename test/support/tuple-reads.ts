import type { DataSource } from 'typeorm';

/**
 * A DataSource whose every query pushes onto `reads` the tuples it read of
 * `table` and its indexes: `returned` counts what scans gave back (index
 * scans, sequential scans), `fetched` adds the heap rows fetched for index
 * scans. PostgreSQL reports a connection's counts between transactions, not
 * within one, so each query runs in a transaction of its own, the counts
 * read just before and after it: nothing else is counted.
 */
export function countingTupleReads(dataSource: DataSource, table: string, reads: number[], counts: 'returned' | 'returned and fetched'): DataSource {
  const counted = counts === 'returned' ? 'pg_stat_get_xact_tuples_returned(c.oid)' : 'pg_stat_get_xact_tuples_returned(c.oid) + pg_stat_get_xact_tuples_fetched(c.oid)';
  const readSoFar = `select coalesce(sum(${counted}), 0)::int as n from pg_class c
     where c.oid = $1::regclass or c.oid in (select indexrelid from pg_index where indrelid = $1::regclass)`;
  const query = async (sql: string, params?: unknown[]) => {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const [before]: Array<{ n: number }> = await runner.query(readSoFar, [table]);
      const answer: unknown = await runner.query(sql, params);
      const [after]: Array<{ n: number }> = await runner.query(readSoFar, [table]);
      reads.push(after.n - before.n);
      await runner.commitTransaction();
      return answer;
    } finally {
      await runner.release();
    }
  };
  return { query } as unknown as DataSource;
}
