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
   * Why a tick of `campaignKey` at `version` must enter nobody more: the
   * campaign was paused or archived, or another version was activated, since
   * the tick began (null: it takes entries at that version).
   */
  async entriesClosed(campaignKey: string, version: number): Promise<string | null> {
    const c = await this.ds.manager.findOne(CampaignEntity, { select: { status: true, activeVersion: true }, where: { key: campaignKey } });
    if (!c) return 'the campaign no longer exists';
    if (c.status !== 'active') return `the campaign is ${c.status}`;
    if (c.activeVersion !== version) return `version ${c.activeVersion ?? '(none)'} is active now`;
    return null;
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
