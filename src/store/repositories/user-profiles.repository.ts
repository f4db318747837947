import type { DataSource } from 'typeorm';

export interface UserProfile {
  id: string;
  attributes: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

type Row = Record<string, unknown>;

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));

const toProfile = (r: Row): UserProfile => ({
  id: r.user_id as string,
  attributes: r.attributes as Record<string, unknown>,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

/** The user attributes conditions read as `user.*` (CAMPAIGNS.md, "Facts"). */
export class UserProfilesRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Merges `set` into the stored attributes and removes `remove`, in one
   * statement (concurrent updates of one user cannot lose each other's
   * attributes); creates the profile when missing. Null, and nothing
   * changed, when the merged attributes would exceed `capBytes` as JSON (a
   * profile travels to journeys in an activity result).
   */
  async merge(userId: string, set: Record<string, unknown>, remove: readonly string[], capBytes: number): Promise<UserProfile | null> {
    const [row]: Row[] = await this.ds.query(
      `insert into user_profiles (user_id, attributes) values ($1, $2::jsonb - $3::text[])
       on conflict (user_id) do update
         set attributes = (user_profiles.attributes || excluded.attributes) - $3::text[], updated_at = now()
         where octet_length(((user_profiles.attributes || excluded.attributes) - $3::text[])::text) <= $4
       returning user_id, attributes, created_at, updated_at`,
      [userId, JSON.stringify(set), remove, capBytes],
    );
    return row ? toProfile(row) : null;
  }

  async find(userId: string): Promise<UserProfile | null> {
    const rows: Row[] = await this.ds.query(`select user_id, attributes, created_at, updated_at from user_profiles where user_id = $1`, [userId]);
    return rows[0] ? toProfile(rows[0]) : null;
  }
}
