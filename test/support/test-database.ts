import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../src/store/data-source';

const ADMIN_URL = process.env.KAIROS_TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  dataSource: DataSource;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database per suite; dropped (connections and all) afterwards. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `kairos_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const dataSource = await openDataSource({ url, migrate: true });
  return {
    url,
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}
