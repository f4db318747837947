import type { DataSource } from 'typeorm';
import type { PoolAddition, PoolTopUpsRepository, TopUpOutcome } from '../../store/repositories/pool-top-ups.repository';
import { PoolsRepository, type PoolView } from '../../store/repositories/pools.repository';
import { toHttpError } from '../common/http-error.filter';
import { PoolsService } from './pools.service';

/** What a failover or a dropped connection looks like to a read after the commit. */
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

const view: PoolView = { key: 'p', kind: 'points', name: null, currency: null, perUserLimit: null, validFor: null, budget: 15, used: 0, left: 15, createdAt: 'c' };

/**
 * A top-up store that applies each id once (as PoolTopUpsRepository does),
 * and a pool that cannot be read back once `down` is set.
 */
function topUpsOver(opts: { down: boolean }) {
  const applied: PoolAddition[] = [];
  const topUps = {
    topUp: async (_key: string, add: PoolAddition): Promise<TopUpOutcome> => {
      if (applied.some((a) => a.id === add.id)) return { outcome: 'repeated', same: true };
      applied.push(add);
      return { outcome: 'applied', codesAdded: 0 };
    },
  };
  const pools = { findWithTopUps: async () => (opts.down ? Promise.reject(refused()) : { ...view, topUps: { total: applied.length, latest: [] } }) };
  return { applied, service: new PoolsService(pools as unknown as PoolsRepository, topUps as unknown as PoolTopUpsRepository) };
}

// Review 59 (API), finding 2: a committed top-up or create must never answer "retry".
describe('a top-up applied whose pool cannot be read back after it', () => {
  it('answers that it was applied, under which id, with no Retry-After; sent again with that id, it adds nothing', async () => {
    const opts = { down: true };
    const { applied, service } = topUpsOver(opts);
    const failed = await service.topUp('p', { budget: 5 }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(applied).toHaveLength(1);
    const { id } = applied[0];
    const answer = toHttpError(failed);
    expect(answer).toMatchObject({ status: 503, body: { error: { code: 'top_up_applied' } } });
    expect(answer.headers?.['Retry-After']).toBeUndefined();
    expect(answer.body.error.message).toContain(`Top-up "${id}" was applied to pool "p" (budget 5 added)`);
    expect(answer.body.error.message).toContain(`"id": "${id}"`);
    opts.down = false;
    await expect(service.topUp('p', { id, budget: 5 })).resolves.toMatchObject({ applied: false });
    expect(applied).toHaveLength(1);
  });

  it('answers as before when the read works', async () => {
    const { service } = topUpsOver({ down: false });
    await expect(service.topUp('p', { budget: 5 })).resolves.toEqual({ applied: true, pool: { ...view, topUps: { total: 1, latest: [] } } });
  });
});

/**
 * A DataSource whose read-committed transaction creates a points pool (the
 * statements PoolsRepository.create sends, answered as PostgreSQL would),
 * and whose every later transaction fails as after a failover.
 */
function createOnly() {
  const entity = { key: 'p', kind: 'points', name: null, budget: 10, perUserLimit: null, validFor: null, currency: null, definition: {}, codesTotal: 0, createdAt: new Date(0) };
  let committed = false;
  const tx = {
    createQueryBuilder: () => {
      const builder = { insert: () => builder, into: () => builder, values: () => builder, orIgnore: () => builder, returning: () => builder, execute: async () => ({ raw: [{ key: 'p' }] }) };
      return builder;
    },
    query: async (sql: string) => (sql.includes('sum(s.used)') ? [{ key: 'p', used: '0', left: '10' }] : []),
    findOneBy: async () => entity,
  };
  const ds = {
    transaction: async (...args: unknown[]) => {
      if (committed) throw refused();
      const work = args[args.length - 1] as (t: typeof tx) => Promise<unknown>;
      const result = await work(tx);
      committed = true;
      return result;
    },
  };
  return new PoolsRepository(ds as unknown as DataSource);
}

describe('a pool created', () => {
  it('is answered from its own transaction: a read failing after the commit cannot make it a 503', async () => {
    const service = new PoolsService(createOnly(), {} as PoolTopUpsRepository);
    await expect(service.create({ key: 'p', kind: 'points', budget: 10 })).resolves.toMatchObject({ key: 'p', kind: 'points', budget: 10, used: 0, left: 10 });
  });
});

// Review 62 (rewards): a pool or top-up refused for thousands of problems named every one (a 5 MiB body: some 150 MB of answer).
describe('a 400 of pool create or top-up', () => {
  const service = (topUps: Partial<PoolTopUpsRepository> = {}) => new PoolsService({} as PoolsRepository, topUps as PoolTopUpsRepository);

  it('lists at most 100 problems of a pool the schema refuses code by code, then how many more', async () => {
    const { status, body } = toHttpError(await service().create({ key: 'p', kind: 'coupon', codes: Array(5000).fill('') }).catch((e: unknown) => e));
    expect(status).toBe(400);
    expect(body.error.details).toHaveLength(101);
    expect(body.error.details?.[100]).toMatchObject({ path: '', message: expect.stringMatching(/^and 4900 more/) });
  });

  it('lists at most 100 unknown fields, each at its own path', async () => {
    const unknown = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`x${i}`, 1]));
    const { body } = toHttpError(await service().create({ key: 'p', kind: 'points', budget: 5, ...unknown }).catch((e: unknown) => e));
    expect(body.error.details).toHaveLength(101);
    expect(body.error.details?.[0]).toMatchObject({ path: 'x0' });
  });

  it("lists at most 100 of a refused top-up's problems", async () => {
    const issues = Array.from({ length: 250 }, (_, i) => ({ path: `codes[${i}]`, message: 'is in the pool already' }));
    const { status, body } = toHttpError(await service({ topUp: async () => ({ outcome: 'refused', issues }) as TopUpOutcome }).topUp('p', { codes: ['A'] }).catch((e: unknown) => e));
    expect(status).toBe(400);
    expect(body.error.details).toHaveLength(101);
    expect(body.error.details?.[100]).toMatchObject({ path: '', message: 'and 150 more problems not listed: mend these first' });
  });
});
