import { CampaignEntity } from './campaign.entity';
import { CampaignVersionEntity } from './campaign-version.entity';
import { PoolBudgetShardEntity } from './pool-budget-shard.entity';
import { RewardPoolEntity } from './reward-pool.entity';
import { SourceEntity } from './source.entity';
import { UserProfileEntity } from './user-profile.entity';

export { CampaignEntity, CampaignVersionEntity, PoolBudgetShardEntity, RewardPoolEntity, SourceEntity, UserProfileEntity };

/**
 * The tables read and written through TypeORM entities. The migrations stay
 * the schema's only source (never `synchronize`); test/store/entity-schema
 * fails when an entity and the migrated table disagree.
 */
export const entities = [CampaignEntity, CampaignVersionEntity, RewardPoolEntity, PoolBudgetShardEntity, UserProfileEntity, SourceEntity];
