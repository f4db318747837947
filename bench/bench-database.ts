import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../src/store/data-source';

const ADMIN_URL = process.env.KAIROS_BENCH_DATABASE_ADMIN_URL ?? process.env.KAIROS_TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database for one benchmark run, dropped afterwards. */
export async function createBenchDatabase(poolSize: number): Promise<{ dataSource: DataSource; url: string; drop(): Promise<void> }> {
  const name = `kairos_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const dataSource = await openDataSource({ url, migrate: true, poolSize });
  return {
    dataSource,
    url,
    async drop() {
      await dataSource.destroy();
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}
