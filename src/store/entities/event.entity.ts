import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Every accepted event; `id` is the sender's idempotency key. */
@Entity({ name: 'events' })
@Index('events_user_idx', ['userId', 'receivedAt'])
export class EventEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  properties!: Record<string, unknown>;
}
