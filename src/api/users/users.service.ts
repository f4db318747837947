import { Injectable } from '@nestjs/common';
import { UserProfilesRepository, type UserProfile } from '../../store/repositories/user-profiles.repository';
import { NotFoundError, PayloadTooLargeError } from '../common/errors';

@Injectable()
export class UsersService {
  constructor(private readonly profiles: UserProfilesRepository) {}

  /** Merge-patch at the top level: a null value removes the attribute, anything else replaces it. */
  async merge(userId: string, attributes: Record<string, unknown>, capBytes: number): Promise<UserProfile> {
    const set: Record<string, unknown> = {};
    const remove: string[] = [];
    for (const [name, value] of Object.entries(attributes)) {
      if (value === null) remove.push(name);
      else set[name] = value;
    }
    const merged = await this.profiles.merge(userId, set, remove, capBytes);
    if (!merged) {
      throw new PayloadTooLargeError('The merged profile would be larger than Kairos can carry.', [
        { path: 'attributes', message: `the stored profile with these attributes would exceed ${capBytes} bytes as JSON; remove some (null) first` },
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
