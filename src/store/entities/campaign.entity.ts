import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type CampaignStatus = 'draft' | 'active' | 'paused' | 'archived';

/** `campaigns` (migrations InitialSchema, SignalOutbox: a trigger notifies `kairos_campaigns` on every write). */
@Entity({ name: 'campaigns' })
export class CampaignEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', default: 'draft' })
  status!: CampaignStatus;

  /** The version new entries use; null until the first activation. */
  @Column({ name: 'active_version', type: 'int', nullable: true })
  activeVersion!: number | null;

  /** When the active version became the active one (the database's clock, under the row's lock); null until the first activation. */
  @Column({ name: 'active_since', type: 'timestamptz', nullable: true })
  activeSince!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
