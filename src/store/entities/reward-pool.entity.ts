import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { RewardKind } from '../ledger/reward';
import type { JsonObject } from '../json';
import { intervalAsIsoDuration, numericAsNumber } from './column-types';

/**
 * `reward_pools` (migration RewardsLedger). Kind, currency, limit and
 * validity never change after creation (the issue function reads them
 * without a lock); what is used lives in `pool_budget_shards`.
 */
@Entity({ name: 'reward_pools' })
export class RewardPoolEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  kind!: RewardKind;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  /** Null: unlimited. */
  @Column({ type: 'numeric', nullable: true, transformer: numericAsNumber })
  budget!: number | null;

  @Column({ name: 'per_user_limit', type: 'int', nullable: true })
  perUserLimit!: number | null;

  /** An ISO 8601 duration (the view shows the definition's spelling; the issue function adds this to now()). */
  @Column({ name: 'valid_for', type: 'interval', nullable: true, transformer: intervalAsIsoDuration })
  validFor!: string | null;

  @Column({ type: 'text', nullable: true })
  currency!: string | null;

  @Column({ name: 'codes_total', type: 'int', default: 0 })
  codesTotal!: number;

  /** The pool as created (a RewardPool, validated before it was stored). */
  @Column({ type: 'jsonb' })
  definition!: JsonObject;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
