import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { JsonObject } from '../json';

/** `sources` (migration EventSources: a trigger notifies `kairos_sources` on every write). */
@Entity({ name: 'sources' })
export class SourceEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  broker!: 'rabbitmq' | 'nats';

  /** As validated when stored; readers parse it again with SourceDefinition. */
  @Column({ type: 'jsonb' })
  definition!: JsonObject;

  /** Bumped on every change, so consumers know theirs is stale. */
  @Column({ type: 'int', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
