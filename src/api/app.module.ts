import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { HttpErrorFilter } from './common/http-error.filter';
import { RolesGuard } from './common/roles.guard';
import { TextParamsPipe } from './common/text-params.pipe';
import { CoreModule, type CoreDeps } from './core/core.module';
import { DocsModule } from './docs/docs.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { PoolsModule } from './pools/pools.module';
import { RewardsModule } from './rewards/rewards.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { UsersModule } from './users/users.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { JourneysModule } from './journeys/journeys.module';
import { SourcesModule } from './sources/sources.module';
import { TemplatesModule } from './templates/templates.module';
import { WhoamiModule } from './whoami/whoami.module';

@Module({})
export class AppModule {
  static forRoot(deps: CoreDeps): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(deps),
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
      ],
      providers: [
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: APP_PIPE, useClass: TextParamsPipe },
      ],
    };
  }
}
