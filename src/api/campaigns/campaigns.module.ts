import { Module } from '@nestjs/common';
import { JourneysModule } from '../journeys/journeys.module';
import { RoutingModule } from '../routing/routing.module';
import { CampaignGraphController } from './campaign-graph.controller';
import { CampaignGraphService } from './campaign-graph.service';
import { BatchSchedules } from './batch-schedules.service';
import { CampaignPreviewController } from './campaign-preview.controller';
import { CampaignPreviewService } from './campaign-preview.service';
import { CampaignsController } from './campaigns.controller';
import { CampaignVersionsController } from './campaign-versions.controller';
import { CampaignVersionsService } from './campaign-versions.service';
import { CampaignsService } from './campaigns.service';
import { CampaignListCountsService } from './campaign-list-counts.service';
import { CampaignTemporalSweep } from './campaign-temporal-sweep';

@Module({
  imports: [RoutingModule, JourneysModule],
  controllers: [CampaignsController, CampaignPreviewController, CampaignGraphController, CampaignVersionsController],
  providers: [
    CampaignsService,
    CampaignListCountsService,
    BatchSchedules,
    CampaignPreviewService,
    CampaignGraphService,
    CampaignVersionsService,
    CampaignTemporalSweep,
  ],
})
export class CampaignsModule {}
