import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { HeldStepsController } from './held-steps.controller';
import { HeldStepsService } from './held-steps.service';
import { JourneysController } from './journeys.controller';
import { JourneysMetrics } from './journeys.metrics';
import { JourneysService } from './journeys.service';
import { StateNamedVersionsCache } from './state-named-versions';
import { TemporalLinks } from './temporal-links';
import { UserJourneysController } from './user-journeys.controller';
import { UserJourneysService } from './user-journeys.service';

@Module({
  imports: [RoutingModule],
  controllers: [JourneysController, UserJourneysController, HeldStepsController],
  providers: [JourneysService, HeldStepsService, JourneysMetrics, UserJourneysService, TemporalLinks, StateNamedVersionsCache],
  exports: [TemporalLinks],
})
export class JourneysModule {}
