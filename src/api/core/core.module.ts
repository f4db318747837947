import { DEFAULT_ROUTING_OPTIONS, ROUTING_OPTIONS, type RoutingOptions } from '../routing/routing.options';
import { type DynamicModule, Global, Module, type ValueProvider } from '@nestjs/common';
import type { Kairos } from '../../composition/compose-kairos';
import { generateDevKeys, type Config } from '../../config/config';
import { PlanStore } from '../../store/plan-store';
import type { Repositories } from '../../store/repositories';
import { AnalyticsRepository } from '../../store/repositories/analytics.repository';
import { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import { EventCancellationsRepository } from '../../store/repositories/event-cancellations.repository';
import { EventsRepository } from '../../store/repositories/events.repository';
import { JourneyContextRepository } from '../../store/repositories/journey-context.repository';
import { PoolsRepository } from '../../store/repositories/pools.repository';
import { RetentionRepository } from '../../store/repositories/retention.repository';
import { PoolTopUpsRepository } from '../../store/repositories/pool-top-ups.repository';
import { RewardCausesRepository } from '../../store/repositories/reward-causes.repository';
import { RewardsRepository } from '../../store/repositories/rewards.repository';
import { SignalOutboxRepository } from '../../store/repositories/signal-outbox.repository';
import { SourcesRepository } from '../../store/repositories/sources.repository';
import { UserEventsRepository } from '../../store/repositories/user-events.repository';
import { UserProfilesRepository } from '../../store/repositories/user-profiles.repository';
import { VocabularyRepository } from '../../store/repositories/vocabulary.repository';
import { LiveJourneysRepository } from '../../store/repositories/live-journeys.repository';
import { JourneyGateway } from '../../temporal/journey-gateway';
import { ApiKeyRing } from '../common/api-keys';
import { DEFAULT_OUTBOX_OPTIONS, OUTBOX_OPTIONS, type OutboxOptions } from '../outbox/outbox.options';
import { CONFIG, DATA_SOURCE, RUNTIME_INFO, TEMPORAL_CLIENT } from './tokens';

export interface RuntimeInfo {
  temporalAddress: string;
  temporalUiUrl?: string;
}

export interface CoreDeps {
  config: Config;
  /** The composed parts (composeKairos): the API uses them, it builds none of its own. */
  kairos: Pick<Kairos, 'dataSource' | 'repositories' | 'plans' | 'client' | 'journeys'>;
  runtime: RuntimeInfo;
  /** Outbox send and retry timings (tests shorten them). */
  outbox?: Partial<OutboxOptions>;
  /** Routing-index reconcile and retry timings (tests shorten them). */
  routing?: Partial<RoutingOptions>;
}

/** The repositories the API injects, each provided as the one instance composeKairos built. */
function repositoryProviders(r: Repositories): ValueProvider[] {
  return [
    { provide: AnalyticsRepository, useValue: r.analytics },
    { provide: CampaignsRepository, useValue: r.campaigns },
    { provide: EventCancellationsRepository, useValue: r.eventCancellations },
    { provide: EventsRepository, useValue: r.events },
    { provide: JourneyContextRepository, useValue: r.journeyContext },
    { provide: PoolsRepository, useValue: r.pools },
    { provide: RetentionRepository, useValue: r.retention },
    { provide: PoolTopUpsRepository, useValue: r.poolTopUps },
    { provide: RewardCausesRepository, useValue: r.rewardCauses },
    { provide: RewardsRepository, useValue: r.rewards },
    { provide: SignalOutboxRepository, useValue: r.signalOutbox },
    { provide: SourcesRepository, useValue: r.sources },
    { provide: UserEventsRepository, useValue: r.userEvents },
    { provide: UserProfilesRepository, useValue: r.userProfiles },
    { provide: VocabularyRepository, useValue: r.vocabulary },
    { provide: LiveJourneysRepository, useValue: r.liveJourneys },
  ];
}

/** Hands the resources built at boot (config, database, repositories, Temporal) to every feature module. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(deps: CoreDeps): DynamicModule {
    const repositories = repositoryProviders(deps.kairos.repositories);
    return {
      module: CoreModule,
      providers: [
        { provide: CONFIG, useValue: deps.config },
        { provide: DATA_SOURCE, useValue: deps.kairos.dataSource },
        { provide: TEMPORAL_CLIENT, useValue: deps.kairos.client },
        { provide: JourneyGateway, useValue: deps.kairos.journeys },
        { provide: PlanStore, useValue: deps.kairos.plans },
        { provide: RUNTIME_INFO, useValue: deps.runtime },
        { provide: ApiKeyRing, useValue: new ApiKeyRing(deps.config.apiKeys ?? generateDevKeys()) },
        ...repositories,
        { provide: OUTBOX_OPTIONS, useValue: { ...DEFAULT_OUTBOX_OPTIONS, ...deps.outbox } },
        { provide: ROUTING_OPTIONS, useValue: { ...DEFAULT_ROUTING_OPTIONS, ...deps.routing } },
      ],
      exports: [
        CONFIG,
        DATA_SOURCE,
        TEMPORAL_CLIENT,
        JourneyGateway,
        PlanStore,
        RUNTIME_INFO,
        ApiKeyRing,
        ...repositories.map((p) => p.provide),
        OUTBOX_OPTIONS,
        ROUTING_OPTIONS,
      ],
    };
  }
}
