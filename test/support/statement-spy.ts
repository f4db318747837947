import { Client, type Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * A claim by a background loop of the API on its own timer, not by the
 * request under test: the outbox relay's (`with heads`) and the cancel
 * finisher's (`with due`, which reads the outbox too), each every second.
 */
export const isBackgroundClaim = (sql: string): boolean => sql.startsWith('with heads') || sql.startsWith('with due');

/**
 * Records the text of every statement a data source runs from now on,
 * through TypeORM's query() or as a prepared statement on its pg pool
 * (PreparedStatement), until `restore()`.
 */
export function spyOnStatements(ds: DataSource): { texts(): string[]; restore(): void } {
  const viaTypeorm = jest.spyOn(ds, 'query');
  const pool = (ds.driver as unknown as { master: Pool }).master;
  const viaPool = jest.spyOn(pool, 'query');
  return {
    texts: () => [
      ...viaTypeorm.mock.calls.map(([sql]) => String(sql).trim()),
      ...viaPool.mock.calls.map(([q]) => String(typeof q === 'string' ? q : (q as { text: string }).text).trim()),
    ],
    restore() {
      viaTypeorm.mockRestore();
      viaPool.mockRestore();
    },
  };
}

/**
 * What `work` gave, and the statements with their parameters that it sent
 * to PostgreSQL from this process through any pg client (TypeORM's included).
 */
export async function statementsOf<T>(work: () => Promise<T>): Promise<{ result: T; statements: Array<{ text: string; values: unknown[] }> }> {
  const spy = jest.spyOn(Client.prototype, 'query');
  try {
    const result = await work();
    const statements = spy.mock.calls.map(([text, values]) => ({ text: String(typeof text === 'string' ? text : (text as { text: string }).text), values: (values ?? []) as unknown[] }));
    return { result, statements };
  } finally {
    spy.mockRestore();
  }
}
