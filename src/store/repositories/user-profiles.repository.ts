import type { DataSource } from 'typeorm';
import { UserProfileEntity } from '../entities/user-profile.entity';
import type { JsonInput, JsonObject } from '../json';

export interface UserProfile {
  id: string;
  attributes: JsonObject;
  createdAt: string;
  updatedAt: string;
}

/** The entity, or the merge statement's row (its columns named as the entity's properties). */
type ProfileRecord = Pick<UserProfileEntity, 'userId' | 'attributes' | 'createdAt' | 'updatedAt'>;

const toProfile = (p: ProfileRecord): UserProfile => ({
  id: p.userId,
  attributes: p.attributes,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

/** The user attributes conditions read as `user.*` (CAMPAIGNS.md, "Facts"). */
export class UserProfilesRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Merges `set` into the stored attributes and removes `remove`, in one
   * statement (concurrent updates of one user cannot lose each other's
   * attributes); creates the profile when missing. Null, and nothing
   * changed, when the merged attributes would exceed `capBytes` as JSON (a
   * profile travels to journeys in an activity result). SQL, not the
   * entity: the merge and the cap must be one atomic statement.
   */
  async merge(userId: string, set: JsonInput, remove: readonly string[], capBytes: number): Promise<UserProfile | null> {
    const [row]: ProfileRecord[] = await this.ds.query(
      `insert into user_profiles (user_id, attributes) values ($1, $2::jsonb - $3::text[])
       on conflict (user_id) do update
         set attributes = (user_profiles.attributes || excluded.attributes) - $3::text[], updated_at = now()
         where octet_length(((user_profiles.attributes || excluded.attributes) - $3::text[])::text) <= $4
       returning user_id as "userId", attributes, created_at as "createdAt", updated_at as "updatedAt"`,
      [userId, JSON.stringify(set), remove, capBytes],
    );
    return row ? toProfile(row) : null;
  }

  async find(userId: string): Promise<UserProfile | null> {
    const found = await this.ds.manager.findOneBy(UserProfileEntity, { userId });
    return found ? toProfile(found) : null;
  }
}
