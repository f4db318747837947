import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numericAsNumber } from './column-types';

/**
 * `pool_budget_shards`: a pool's budget split into rows so that concurrent
 * issues lock different ones (migration RewardsLedger). Written by the pool's
 * creation and by the ledger functions; read here for the pool's view.
 */
@Entity({ name: 'pool_budget_shards' })
export class PoolBudgetShardEntity {
  @PrimaryColumn({ name: 'pool_key', type: 'text' })
  poolKey!: string;

  @PrimaryColumn({ type: 'smallint' })
  shard!: number;

  @Column({ type: 'numeric', nullable: true, transformer: numericAsNumber })
  budget!: number | null;

  @Column({ type: 'numeric', default: 0, transformer: numericAsNumber })
  used!: number;
}
