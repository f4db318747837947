import { Injectable } from '@nestjs/common';
import { UserProfilesRepository, type UserProfile } from '../../store/repositories/user-profiles.repository';
import { jsonBytes } from '../../domain/json-size';
import { NotFoundError, PayloadTooLargeError } from '../common/errors';
import { refuseOversized } from '../common/size-caps';

/**
 * The largest MAX_PROFILE_ATTRIBUTES_BYTES the configuration takes (config.ts,
 * `sizeCap`): no stored profile weighs more, so attributes past it can be
 * refused before any query, whatever the cap was when the profile was written.
 */
export const PROFILE_CAP_CEILING_BYTES = 1024 * 1024;

/**
 * `profile` with only the attributes named in `names`, as stored (one the
 * request removed is absent): what PUT answers a key that may set profiles
 * but not read them (the ingest lane, docs/api.md "Auth").
 */
export function withOnlyNamed(profile: UserProfile, names: readonly string[]): UserProfile {
  const named = new Set(names);
  // fromEntries, not assignment: an attribute named `__proto__` stays data.
  return { ...profile, attributes: Object.fromEntries(Object.entries(profile.attributes).filter(([name]) => named.has(name))) };
}

@Injectable()
export class UsersService {
  constructor(private readonly profiles: UserProfilesRepository) {}

  /**
   * Merge-patch at the top level: a null value removes the attribute, anything
   * else replaces it. What would be stored is weighed as compact JSON, on the
   * merged profile (the repository, under the row lock): one measure, so a
   * profile accepted once is taken again as it is, and a write that leaves
   * it no heavier is taken even under a cap lowered since (the request alone
   * may then weigh more than the cap: the stored profile weighs as much).
   * Before any query, only attributes no profile could ever hold are refused:
   * past the largest cap the configuration allows, or nesting too deep to
   * serialize. The nulls weigh nothing: a removal is never refused for its
   * own size.
   */
  async merge(userId: string, attributes: Record<string, unknown>, capBytes: number): Promise<UserProfile> {
    const set: Record<string, unknown> = {};
    const remove: string[] = [];
    for (const [name, value] of Object.entries(attributes)) {
      if (value === null) remove.push(name);
      else set[name] = value;
    }
    if (jsonBytes(set) > Math.max(capBytes, PROFILE_CAP_CEILING_BYTES)) refuseOversized([{ path: 'attributes', value: set, capBytes }]);
    const merged = await this.profiles.merge(userId, set, remove, capBytes);
    if (!merged) {
      throw new PayloadTooLargeError('The merged profile would be larger than Kairos can carry.', [
        { path: 'attributes', message: `the stored profile with these attributes would exceed ${capBytes} bytes as compact JSON; remove some (null) first` },
      ]);
    }
    return merged;
  }

  async get(userId: string): Promise<UserProfile> {
    const profile = await this.profiles.find(userId);
    if (!profile) throw new NotFoundError(`No profile for user ${userId}.`);
    return profile;
  }
}
