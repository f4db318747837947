import { MoreThan, type DataSource } from 'typeorm';
import { CampaignEntity } from '../entities/campaign.entity';
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

  /**
   * The version a tick of `campaignKey` enters users at now, the active one
   * (a version activated since the tick began takes the rest of it), or why
   * it must enter nobody more: the campaign was paused or archived.
   */
  async entryVersion(campaignKey: string): Promise<{ version: number } | { closed: string }> {
    const c = await this.ds.manager.findOne(CampaignEntity, { select: { status: true, activeVersion: true }, where: { key: campaignKey } });
    if (!c) return { closed: 'the campaign no longer exists' };
    if (c.status !== 'active' || c.activeVersion === null) return { closed: `the campaign is ${c.status}` };
    return { version: c.activeVersion };
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
