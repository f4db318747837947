import { AnalyticsModule } from './analytics/analytics.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { DocsModule } from './docs/docs.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { JourneysModule } from './journeys/journeys.module';
import { MetricsModule } from './metrics/metrics.module';
import { PoolsModule } from './pools/pools.module';
import { RewardsModule } from './rewards/rewards.module';
import { SourcesModule } from './sources/sources.module';
import { TemplatesModule } from './templates/templates.module';
import { WhoamiModule } from './whoami/whoami.module';
import { UsersModule } from './users/users.module';
import { VocabularyModule } from './vocabulary/vocabulary.module';

/**
 * The feature modules AppModule imports. Named apart so the client generator
 * can read their controllers' routes without building the app's resources.
 */
export const API_FEATURE_MODULES = [
  MetricsModule,
  HealthModule,
  DocsModule,
  EventsModule,
  PoolsModule,
  RewardsModule,
  CampaignsModule,
  UsersModule,
  AnalyticsModule,
  JourneysModule,
  SourcesModule,
  TemplatesModule,
  WhoamiModule,
  VocabularyModule,
];
