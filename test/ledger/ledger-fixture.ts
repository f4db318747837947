import type { DataSource } from 'typeorm';
import { createMessageActivities, type MessageActivityDeps } from '../../src/activities/messages/message-activities';
import { createRewardActivities } from '../../src/activities/rewards/reward-activities';
import type { RewardAction, RewardCommand } from '../../src/domain/rewards';
import type { RewardPool } from '../../src/domain/campaign/schema';
import { openDataSource } from '../../src/store/data-source';
import { PoolsRepository } from '../../src/store/repositories/pools.repository';
import { RewardsRepository } from '../../src/store/repositories/rewards.repository';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** A fresh database with the ledger's activities and repositories on it; activities are called directly. */
export interface LedgerFixture {
  db: TestDatabase;
  ds: DataSource;
  activities: ReturnType<typeof createRewardActivities>;
  pools: PoolsRepository;
  rewards: RewardsRepository;
  createPool(pool: RewardPool): Promise<void>;
  messages(deps?: Omit<MessageActivityDeps, 'dataSource'>): ReturnType<typeof createMessageActivities>;
  stop(): Promise<void>;
}

export async function startLedger(): Promise<LedgerFixture> {
  const db = await createTestDatabase();
  // Concurrency tests need more connections than the default pool holds.
  await db.dataSource.destroy();
  // Hundreds of issues at once queue for the 24 connections; on a loaded machine the wait for one may pass
  // the default 5 s, which is not what these tests are about. Not more: suites run two at a time, and two
  // ledger suites beside each other must stay well inside PostgreSQL's 100 connections (a run with 40 each
  // and other work on the server saw "sorry, too many clients already").
  const ds = await openDataSource({ url: db.url, poolSize: 24, connectionTimeoutMs: 60_000 });
  const pools = new PoolsRepository(ds);
  return {
    db,
    ds,
    activities: createRewardActivities({ dataSource: ds }),
    pools,
    rewards: new RewardsRepository(ds),
    async createPool(pool) {
      if (!(await pools.create(pool))) throw new Error(`pool ${pool.key} exists`);
    },
    messages: (deps = {}) => createMessageActivities({ ...deps, dataSource: ds }),
    async stop() {
      await ds.destroy();
      await db.drop();
    },
  };
}

let counter = 0;

/** A reward action as a test writes it: no pool and no unlessHolding mean none and false, as in a campaign. */
export type TestRewardAction =
  | { type: 'coupon'; pool: string; unlessHolding?: boolean }
  | { type: 'points'; amount: number; pool?: string | null }
  | { type: 'credit'; amount: number; currency: string; pool?: string | null };

function completed(action: TestRewardAction): RewardAction {
  return action.type === 'coupon' ? { unlessHolding: false, ...action } : { ...action, pool: action.pool ?? null };
}

/** An issue command with unique identity unless overridden. */
export function issueInput(testAction: TestRewardAction, over: Partial<RewardCommand> = {}): RewardCommand {
  const action = completed(testAction);
  counter += 1;
  return {
    idempotencyKey: `spend:${over.userId ?? 'u-1'}:1:1:step-${counter}`,
    campaignKey: 'spend',
    campaignVersion: 1,
    userId: 'u-1',
    stepId: `step-${counter}`,
    causedBy: ['ord-1'],
    action,
    ...over,
  };
}

export async function poolUsed(ds: DataSource, key: string): Promise<number> {
  const [row]: Array<{ used: string }> = await ds.query(`select sum(used) as used from pool_budget_shards where pool_key = $1`, [key]);
  return Number(row.used);
}

export async function count(ds: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  const [row]: Array<{ n: string }> = await ds.query(`select (${sql})::bigint as n`, params);
  return Number(row.n);
}
