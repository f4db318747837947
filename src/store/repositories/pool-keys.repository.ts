import type { DataSource } from 'typeorm';

/** Every pool's key, oldest first: the pools page lists them, PoolsRepository.find gives each one's view. */
export class PoolKeysRepository {
  constructor(private readonly ds: DataSource) {}

  async keys(limit: number): Promise<string[]> {
    const rows: Array<{ key: string }> = await this.ds.query(`select key from reward_pools order by created_at, key limit $1`, [limit]);
    return rows.map((r) => r.key);
  }
}
