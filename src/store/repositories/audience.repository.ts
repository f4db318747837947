import { MoreThan, type DataSource } from 'typeorm';
import { UserProfileEntity } from '../entities/user-profile.entity';
import type { JsonObject } from '../json';

export interface ProfileRow {
  userId: string;
  attributes: JsonObject;
}

/** Stored profiles in user-id order, for batch entry to page through. */
export class AudienceRepository {
  constructor(private readonly ds: DataSource) {}

  async count(): Promise<number> {
    return this.ds.manager.count(UserProfileEntity);
  }

  async page(afterUserId: string | null, limit: number): Promise<ProfileRow[]> {
    const profiles = await this.ds.manager.find(UserProfileEntity, {
      select: { userId: true, attributes: true },
      where: afterUserId === null ? {} : { userId: MoreThan(afterUserId) },
      order: { userId: 'ASC' },
      take: limit,
    });
    return profiles.map((p) => ({ userId: p.userId, attributes: p.attributes }));
  }
}
