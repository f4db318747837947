/**
 * `npm run funnel:rebuild`: the funnel's tables filled again from the
 * journey log (see rebuildFunnel), against DATABASE_URL. Once, after a
 * rolling upgrade from a version that did not keep them.
 */
import { z } from 'zod';
import { openDataSource } from './data-source';
import { rebuildFunnel } from './funnel-from-log';

const NOT_SET = 'DATABASE_URL is not set: the PostgreSQL database Kairos uses, e.g. postgres://kairos@db:5432/kairos';
const DatabaseUrl = z.string({ message: NOT_SET }).min(1, NOT_SET).url('DATABASE_URL is not a URL');

async function main(): Promise<void> {
  const parsed = DatabaseUrl.safeParse(process.env.DATABASE_URL);
  if (!parsed.success) {
    process.stderr.write(`funnel:rebuild: ${parsed.error.issues[0].message}\n`);
    process.exitCode = 2;
    return;
  }
  const ds = await openDataSource({ url: parsed.data, migrate: true, poolSize: 2 });
  try {
    const started = Date.now();
    await rebuildFunnel(ds);
    const [{ n }]: Array<{ n: number }> = await ds.query(`select count(*)::int as n from journey_positions`);
    process.stdout.write(`funnel:rebuild: done in ${((Date.now() - started) / 1000).toFixed(1)} s (${n} journey positions)\n`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`funnel:rebuild: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
