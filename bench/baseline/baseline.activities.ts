import type { DataSource } from 'typeorm';

/** One row per finished baseline journey; `on conflict` makes a retried activity harmless, as the real ledger is. */
export function createBaselineActivities(ds: DataSource) {
  return {
    async recordBaselineReward(userId: string): Promise<void> {
      await ds.query(`insert into bench_baseline_rewards (user_id) values ($1) on conflict (user_id) do nothing`, [userId]);
    },
  };
}

export type BaselineActivities = ReturnType<typeof createBaselineActivities>;

export async function createBaselineTable(ds: DataSource): Promise<void> {
  await ds.query(`create table if not exists bench_baseline_rewards (user_id text primary key, created_at timestamptz not null default clock_timestamp())`);
}
