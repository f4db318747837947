import type { DataSource } from 'typeorm';

export interface ProfileRow {
  userId: string;
  attributes: Record<string, unknown>;
}

/** Stored profiles in user-id order, for batch entry to page through. */
export class AudienceRepository {
  constructor(private readonly ds: DataSource) {}

  async count(): Promise<number> {
    const [{ n }]: Array<{ n: number }> = await this.ds.query(`select count(*)::int as n from user_profiles`);
    return n;
  }

  async page(afterUserId: string | null, limit: number): Promise<ProfileRow[]> {
    const rows: Array<{ user_id: string; attributes: Record<string, unknown> }> = await this.ds.query(
      `select user_id, attributes from user_profiles where ($1::text is null or user_id > $1) order by user_id limit $2`,
      [afterUserId, limit],
    );
    return rows.map((r) => ({ userId: r.user_id, attributes: r.attributes }));
  }
}
