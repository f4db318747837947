import type { DataSource } from 'typeorm';
import { AnalyticsRepository } from './repositories/analytics.repository';
import { AudienceRepository } from './repositories/audience.repository';
import { CampaignsRepository } from './repositories/campaigns.repository';
import { DispatchesRepository } from './repositories/dispatches.repository';
import { EventCancellationsRepository } from './repositories/event-cancellations.repository';
import { EventsRepository } from './repositories/events.repository';
import { JourneyContextRepository } from './repositories/journey-context.repository';
import { PoolTopUpsRepository } from './repositories/pool-top-ups.repository';
import { PoolsRepository } from './repositories/pools.repository';
import { RetentionRepository } from './repositories/retention.repository';
import { RewardCausesRepository } from './repositories/reward-causes.repository';
import { RewardsRepository } from './repositories/rewards.repository';
import { SignalOutboxRepository } from './repositories/signal-outbox.repository';
import { SourcesRepository } from './repositories/sources.repository';
import { TransitionsRepository } from './repositories/transitions.repository';
import { UserEventsRepository } from './repositories/user-events.repository';
import { UserProfilesRepository } from './repositories/user-profiles.repository';
import { VocabularyRepository } from './repositories/vocabulary.repository';
import { LiveJourneysRepository } from './repositories/live-journeys.repository';

/** Every repository on one data source, built once by the composition root. */
export function createRepositories(ds: DataSource) {
  return {
    analytics: new AnalyticsRepository(ds),
    audience: new AudienceRepository(ds),
    campaigns: new CampaignsRepository(ds),
    dispatches: new DispatchesRepository(ds),
    eventCancellations: new EventCancellationsRepository(ds),
    events: new EventsRepository(ds),
    journeyContext: new JourneyContextRepository(ds),
    pools: new PoolsRepository(ds),
    poolTopUps: new PoolTopUpsRepository(ds),
    retention: new RetentionRepository(ds),
    rewardCauses: new RewardCausesRepository(ds),
    rewards: new RewardsRepository(ds),
    signalOutbox: new SignalOutboxRepository(ds),
    sources: new SourcesRepository(ds),
    transitions: new TransitionsRepository(ds),
    userEvents: new UserEventsRepository(ds),
    userProfiles: new UserProfilesRepository(ds),
    vocabulary: new VocabularyRepository(ds),
    liveJourneys: new LiveJourneysRepository(ds),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
