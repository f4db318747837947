import type { DataSource } from 'typeorm';

export interface ActiveCampaignVersion {
  key: string;
  version: number;
  definition: Record<string, unknown>;
}

export class CampaignsRepository {
  constructor(private readonly ds: DataSource) {}

  /** The version each active campaign points new entries at. */
  async activeVersions(): Promise<ActiveCampaignVersion[]> {
    const rows: Array<{ key: string; version: number; definition: Record<string, unknown> }> = await this.ds.query(
      `select c.key, v.version, v.definition
         from campaigns c join campaign_versions v on v.campaign_key = c.key and v.version = c.active_version
        where c.status = 'active'`,
    );
    return rows;
  }

  /** Stores a definition as a new version and makes it active (used by tests until the campaigns API lands). */
  async saveActive(key: string, definition: Record<string, unknown>): Promise<number> {
    return this.ds.transaction(async (tx) => {
      await tx.query(
        `insert into campaigns (key, name, status) values ($1, $2, 'active')
         on conflict (key) do update set updated_at = now(), status = 'active'`,
        [key, String(definition.name ?? key)],
      );
      const [{ version }]: Array<{ version: number }> = await tx.query(
        `insert into campaign_versions (campaign_key, version, definition)
         select $1, coalesce(max(version), 0) + 1, $2::jsonb from campaign_versions where campaign_key = $1
         returning version`,
        [key, JSON.stringify(definition)],
      );
      await tx.query(`update campaigns set active_version = $2 where key = $1`, [key, version]);
      return version;
    });
  }
}
