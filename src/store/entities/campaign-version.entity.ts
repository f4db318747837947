import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { JsonObject } from '../json';
import { CampaignEntity } from './campaign.entity';

/** `campaign_versions`: immutable definitions, stored as submitted (migrations InitialSchema, SignalOutbox). */
@Entity({ name: 'campaign_versions' })
export class CampaignVersionEntity {
  @PrimaryColumn({ name: 'campaign_key', type: 'text' })
  campaignKey!: string;

  @PrimaryColumn({ type: 'int' })
  version!: number;

  /** As submitted; readers compile it (compileCampaign) before trusting its shape. */
  @Column({ type: 'jsonb' })
  definition!: JsonObject;

  /** Where the canvas drew each node (migration CampaignVersionLayout); presentation only, never compiled. */
  @Column({ type: 'jsonb', nullable: true })
  layout!: Record<string, { x: number; y: number }> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** When the version was first activated (could take entries); null for one never activated. */
  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;

  @ManyToOne(() => CampaignEntity, { nullable: false })
  @JoinColumn({ name: 'campaign_key', referencedColumnName: 'key' })
  campaign?: CampaignEntity;
}
