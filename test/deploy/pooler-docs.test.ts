import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/**
 * Kairos keeps state on its PostgreSQL session, which a pooler in transaction
 * mode does not keep: the docs must not offer that mode while the code does so.
 * When the code stops relying on the session (a transaction-scoped lock, `set
 * local`, LISTEN over a direct URL), this test says the docs may change too.
 */
describe('docs/operations.md on connection poolers', () => {
  const operations = read('docs/operations.md');

  it('Kairos still keeps session state: its statement timeout, the migration lock and LISTEN', () => {
    const dataSource = read('src/store/data-source.ts');
    expect(dataSource).toMatch(/set_config\('statement_timeout', \$1, false\)/);
    expect(dataSource).toMatch(/pg_advisory_lock\(/);
    expect(read('src/api/routing/change-listener.ts')).toMatch(/`listen \$\{channel\}`/);
  });

  it('supports a direct connection or session mode, says transaction mode is not supported, and why', () => {
    expect(operations).toMatch(/PostgreSQL directly, or through a pooler\s+in session mode/);
    expect(operations).toMatch(/Transaction mode is not\s+supported/);
    for (const why of [/statement timeout/, /session advisory lock/, /`LISTEN`/]) expect(operations).toMatch(why);
  });

  it('offers transaction mode nowhere, with or without max_prepared_statements', () => {
    expect(operations).not.toMatch(/or in transaction mode/);
    expect(operations).not.toMatch(/so PgBouncer takes it/);
  });
});
