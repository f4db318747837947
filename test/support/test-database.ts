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

const TEMPLATE_ENV = 'KAIROS_TEST_TEMPLATE_DATABASE';
const urlOf = (name: string) => ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);

/**
 * One database migrated at the start of the run (global setup), which every
 * suite's database is copied from: a copy takes a tenth of the second or so a
 * fresh database spends on the migrations, some hundred times a run. The
 * template itself is migrated from empty, so every run still applies every
 * migration to an empty database; each copy runs `migrate` when opened too
 * (a no-op there).
 */
export async function createTemplateDatabase(): Promise<void> {
  const name = `kairos_test_template_${process.pid}`;
  await admin((c) => c.query(`create database ${name}`));
  const ds = await openDataSource({ url: urlOf(name), migrate: true });
  await ds.destroy();
  process.env[TEMPLATE_ENV] = name;
}

export async function dropTemplateDatabase(): Promise<void> {
  const name = process.env[TEMPLATE_ENV];
  if (name) await admin((c) => c.query(`drop database if exists ${name} with (force)`));
}

/** A fresh, migrated database per suite; dropped (connections and all) afterwards. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `kairos_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const template = process.env[TEMPLATE_ENV];
  await admin((c) => c.query(template ? `create database ${name} template ${template}` : `create database ${name}`));
  const url = urlOf(name);
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
