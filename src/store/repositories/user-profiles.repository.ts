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
   *
   * A merge that sets nothing and removes nothing stored writes nothing: no
   * profile is created for it (a batch-entry campaign enters every stored
   * profile, so a removal-only sync, or a probe, would otherwise enter users
   * nothing ever described), and the stored one keeps its `updatedAt`.
   */
  async merge(userId: string, set: JsonInput, remove: readonly string[], capBytes: number): Promise<UserProfile | null> {
    return this.ds.transaction(async (tx) => {
      for (;;) {
        const [stored]: StoredRow[] = await tx.query(`select attributes, created_at as "createdAt", updated_at as "updatedAt" from user_profiles where user_id = $1 for update`, [userId]);
        if (changesNothing(stored?.attributes, set, remove)) return stored ? toProfile({ userId, ...stored }) : await absentProfile(tx, userId);
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

type StoredRow = Omit<ProfileRecord, 'userId'>;

/** Whether the merge sets no attribute and removes none the profile holds (no profile: nothing to remove). */
function changesNothing(stored: JsonObject | undefined, set: JsonInput, remove: readonly string[]): boolean {
  if (Object.keys(set).length > 0) return false;
  return !stored || !remove.some((name) => Object.hasOwn(stored, name));
}

/**
 * The answer for a user without a profile that a merge did not create: no
 * attributes, stamped with the time of the answer, as a profile created now
 * would be (the answer's shape does not change with whether a row exists).
 */
async function absentProfile(tx: EntityManager, userId: string): Promise<UserProfile> {
  const [{ now }]: Array<{ now: Date }> = await tx.query(`select clock_timestamp() as now`);
  return toProfile({ userId, attributes: {}, createdAt: now, updatedAt: now });
}

/** Top-level merge-patch: `set` replaces the stored attributes of the same name, `remove` drops some (spread, not assignment: a key named `__proto__` stays data). */
function mergedAttributes(stored: JsonObject, set: JsonInput, remove: readonly string[]): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...stored, ...set };
  for (const name of remove) delete merged[name];
  return merged;
}

const RETURNED = `returning user_id as "userId", attributes, created_at as "createdAt", updated_at as "updatedAt"`;

/**
 * `updated_at` is when the merge was applied: the clock once the row lock is
 * won, not now(), the transaction's start. A transaction that began before
 * another created or updated the row, and waited for its lock, would
 * otherwise stamp an `updatedAt` before the row's `createdAt`, or before the
 * write it follows, and a client syncing "changed since `updatedAt`" would
 * miss it. greatest() also holds it past both on a clock that stepped back.
 */
async function updateProfile(tx: EntityManager, userId: string, attributes: JsonInput): Promise<ProfileRecord> {
  const [[row]]: [ProfileRecord[], number] = await tx.query(
    `update user_profiles set attributes = $2::jsonb, updated_at = greatest(clock_timestamp(), created_at, updated_at) where user_id = $1 ${RETURNED}`,
    [userId, JSON.stringify(attributes)],
  );
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
