import type { DataSource, EntityManager } from 'typeorm';
import { jsonBytes } from '../../domain/json-size';
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
   * Merges `set` into the stored attributes and removes `remove`, creating
   * the profile when missing. Null, and nothing changed, when the merged
   * attributes would weigh more than `capBytes` as compact JSON (jsonBytes:
   * a profile travels to journeys in an activity result, as such JSON) and
   * more than the stored ones: a write that leaves the profile no heavier (an
   * identical retry, a removal) is never refused, even under a cap lowered
   * since. The merge is done here rather than with jsonb's `||`, so that it
   * is weighed as the request was (jsonb's text form is larger: `": "`
   * between entries, `1e300` written out in 301 digits); the row lock keeps
   * concurrent updates of one user from losing each other's attributes.
   */
  async merge(userId: string, set: JsonInput, remove: readonly string[], capBytes: number): Promise<UserProfile | null> {
    return this.ds.transaction(async (tx) => {
      for (;;) {
        const [stored]: Array<{ attributes: JsonObject }> = await tx.query(`select attributes from user_profiles where user_id = $1 for update`, [userId]);
        const merged = mergedAttributes(stored?.attributes ?? {}, set, remove);
        const bytes = jsonBytes(merged);
        if (bytes > capBytes && (!stored || bytes > jsonBytes(stored.attributes))) return null;
        const written = stored ? await updateProfile(tx, userId, merged) : await insertProfile(tx, userId, merged);
        if (written) return toProfile(written);
        // Another request created the profile since the select: merge into it, under its lock this time.
      }
    });
  }

  async find(userId: string): Promise<UserProfile | null> {
    const found = await this.ds.manager.findOneBy(UserProfileEntity, { userId });
    return found ? toProfile(found) : null;
  }
}

/** Top-level merge-patch: `set` replaces the stored attributes of the same name, `remove` drops some (spread, not assignment: a key named `__proto__` stays data). */
function mergedAttributes(stored: JsonObject, set: JsonInput, remove: readonly string[]): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...stored, ...set };
  for (const name of remove) delete merged[name];
  return merged;
}

const RETURNED = `returning user_id as "userId", attributes, created_at as "createdAt", updated_at as "updatedAt"`;

async function updateProfile(tx: EntityManager, userId: string, attributes: JsonInput): Promise<ProfileRecord> {
  const [[row]]: [ProfileRecord[], number] = await tx.query(`update user_profiles set attributes = $2::jsonb, updated_at = now() where user_id = $1 ${RETURNED}`, [
    userId,
    JSON.stringify(attributes),
  ]);
  return row;
}

/** The new profile, or undefined when another request created it first. */
async function insertProfile(tx: EntityManager, userId: string, attributes: JsonInput): Promise<ProfileRecord | undefined> {
  const [row]: ProfileRecord[] = await tx.query(`insert into user_profiles (user_id, attributes) values ($1, $2::jsonb) on conflict (user_id) do nothing ${RETURNED}`, [
    userId,
    JSON.stringify(attributes),
  ]);
  return row;
}
