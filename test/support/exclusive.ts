import { createHash } from 'node:crypto';
import { Client } from 'pg';

const ADMIN_URL = process.env.KAIROS_TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** How long a suite may wait for another worker's suite to let go of a shared resource. */
export const EXCLUSIVE_WAIT_MS = 15 * 60_000;

/**
 * Integration suites run on two jest workers. A few share something that one
 * of them disrupts (the RabbitMQ and NATS servers are restarted mid-stream,
 * the isolation suite times a flood): such suites hold a PostgreSQL session
 * advisory lock named after the resource for their whole run, so they never
 * overlap, while every other suite runs beside them. PostgreSQL releases the
 * lock if the worker dies, so a crashed suite cannot wedge the run.
 */
export async function holdExclusive(resource: string): Promise<() => Promise<void>> {
  const key = createHash('sha256').update(`kairos-test:${resource}`).digest().readBigInt64BE(0);
  const client = new Client({ connectionString: ADMIN_URL, application_name: `kairos-test-exclusive:${resource}` });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [key.toString()]);
  } catch (err) {
    await client.end();
    throw err;
  }
  return async () => {
    try {
      await client.query('select pg_advisory_unlock($1)', [key.toString()]);
    } finally {
      await client.end();
    }
  };
}

/** Holds `resource` for the whole suite (file) that calls this at its top level. */
export function exclusiveSuite(resource: string): void {
  let release: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    release = await holdExclusive(resource);
  }, EXCLUSIVE_WAIT_MS);
  afterAll(async () => {
    await release?.();
  });
}
