import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { JourneyContextRepository } from '../../store/repositories/journey-context.repository';
import { DATA_SOURCE } from '../core/tokens';
import { JourneysModule } from '../journeys/journeys.module';
import { RoutingModule } from '../routing/routing.module';
import { CampaignGraphController } from './campaign-graph.controller';
import { CampaignGraphService } from './campaign-graph.service';
import { BatchSchedules } from './batch-schedules.service';
import { CampaignPreviewController } from './campaign-preview.controller';
import { CampaignPreviewService } from './campaign-preview.service';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';

@Module({
  imports: [RoutingModule, JourneysModule],
  controllers: [CampaignsController, CampaignPreviewController, CampaignGraphController],
  providers: [
    CampaignsService,
    BatchSchedules,
    CampaignPreviewService,
    CampaignGraphService,
    { provide: JourneyContextRepository, useFactory: (ds: DataSource) => new JourneyContextRepository(ds), inject: [DATA_SOURCE] },
  ],
})
export class CampaignsModule {}
