import type { DataSource } from 'typeorm';

/** Every pool's key, oldest first: the pools page lists them, PoolsRepository.find gives each one's view. */
export class PoolKeysRepository {
  constructor(private readonly ds: DataSource) {}

  /** The oldest `limit` keys, and how many pools there are in all. */
  async keys(limit: number): Promise<{ keys: string[]; total: number }> {
    const rows: Array<{ key: string; total: number }> = await this.ds.query(
      `select key, count(*) over ()::int as total from reward_pools order by created_at, key limit $1`,
      [limit],
    );
    return { keys: rows.map((r) => r.key), total: rows[0]?.total ?? 0 };
  }
}
