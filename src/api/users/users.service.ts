import { Injectable } from '@nestjs/common';
import { UserProfilesRepository, type UserProfile } from '../../store/repositories/user-profiles.repository';
import { NotFoundError } from '../common/errors';

@Injectable()
export class UsersService {
  constructor(private readonly profiles: UserProfilesRepository) {}

  /** Merge-patch at the top level: a null value removes the attribute, anything else replaces it. */
  async merge(userId: string, attributes: Record<string, unknown>): Promise<UserProfile> {
    const set: Record<string, unknown> = {};
    const remove: string[] = [];
    for (const [name, value] of Object.entries(attributes)) {
      if (value === null) remove.push(name);
      else set[name] = value;
    }
    return this.profiles.merge(userId, set, remove);
  }

  async get(userId: string): Promise<UserProfile> {
    const profile = await this.profiles.find(userId);
    if (!profile) throw new NotFoundError(`No profile for user ${userId}.`);
    return profile;
  }
}
