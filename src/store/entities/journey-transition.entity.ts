import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The journey log: one row per transition, appended by the journey workflow
 * through an activity. Funnels and intervals are SQL over it.
 */
@Entity({ name: 'journey_transitions' })
@Index('journey_transitions_campaign_idx', ['campaignKey', 'toState'])
export class JourneyTransitionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** Business identity of the transition, so a retried activity writes one row. */
  @Column({ name: 'idempotency_key', type: 'text', unique: true })
  idempotencyKey!: string;

  @Column({ name: 'campaign_key', type: 'text' })
  campaignKey!: string;

  @Column({ name: 'campaign_version', type: 'int' })
  campaignVersion!: number;

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ name: 'workflow_id', type: 'text' })
  workflowId!: string;

  @Column({ name: 'from_state', type: 'text', nullable: true })
  fromState!: string | null;

  @Column({ name: 'to_state', type: 'text' })
  toState!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** What caused it: an event id, `timer:<id>`, `immediate`, `exit`. */
  @Column({ type: 'text' })
  cause!: string;
}
