import { Injectable } from '@nestjs/common';
import { UserProfilesRepository, type UserProfile } from '../../store/repositories/user-profiles.repository';
import { NotFoundError, PayloadTooLargeError } from '../common/errors';
import { refuseOversized } from '../common/size-caps';

@Injectable()
export class UsersService {
  constructor(private readonly profiles: UserProfilesRepository) {}

  /**
   * Merge-patch at the top level: a null value removes the attribute, anything
   * else replaces it. What would be stored is weighed as compact JSON, here
   * (a request alone past the cap, before any query) and on the merged
   * profile (the repository, under the row lock): one measure, so a profile
   * accepted once is taken again as it is. The nulls weigh nothing: a
   * removal is never refused for its own size.
   */
  async merge(userId: string, attributes: Record<string, unknown>, capBytes: number): Promise<UserProfile> {
    const set: Record<string, unknown> = {};
    const remove: string[] = [];
    for (const [name, value] of Object.entries(attributes)) {
      if (value === null) remove.push(name);
      else set[name] = value;
    }
    refuseOversized([{ path: 'attributes', value: set, capBytes }]);
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
