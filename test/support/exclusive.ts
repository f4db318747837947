import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
  const asked = Date.now();
  try {
    await client.query('select pg_advisory_lock($1)', [key.toString()]);
    noteWait(resource, Date.now() - asked);
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

/**
 * A wait counts in the waiting suite's time while its worker does nothing: a
 * run's waits are kept in <tmpdir>/kairos-test-exclusive-waits.log, so that
 * the order of the slow suites (slow-first-sequencer.js) can keep them apart.
 */
function noteWait(resource: string, ms: number): void {
  if (ms < 1_000) return;
  const suite = path.relative(process.cwd(), expect.getState().testPath ?? '?');
  try {
    appendFileSync(path.join(os.tmpdir(), 'kairos-test-exclusive-waits.log'), `${new Date().toISOString()} ${suite} waited ${(ms / 1000).toFixed(1)} s for ${resource}\n`);
  } catch {
    // Only a note: a read-only temporary folder must not fail the suite.
  }
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
