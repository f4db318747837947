import { openDataSource } from '../../src/store/data-source';
import { createTestDatabase } from '../support/test-database';

describe('openDataSource names the database it could not open', () => {
  it('says PostgreSQL, where, and the setting, without the password', async () => {
    const err: unknown = await openDataSource({ url: 'postgres://kairos:s3cret-pw@127.0.0.1:1/kairos_nowhere', connectionTimeoutMs: 2_000 }).catch((e) => e);
    expect((err as Error).message).toMatch(/^PostgreSQL at 127\.0\.0\.1:1\/kairos_nowhere \(DATABASE_URL\): .*ECONNREFUSED/);
    expect((err as Error).message).not.toContain('s3cret-pw');
  });

  it('names a database that does not exist on a server that answers', async () => {
    const db = await createTestDatabase();
    try {
      const missing = db.url.replace(/\/[^/]*$/, '/kairos_missing_database');
      const err: unknown = await openDataSource({ url: missing }).catch((e) => e);
      expect((err as Error).message).toMatch(/^PostgreSQL at [^ ]+\/kairos_missing_database \(DATABASE_URL\): database "kairos_missing_database" does not exist/);
    } finally {
      await db.drop();
    }
  });
});
