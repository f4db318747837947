import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { BatchSchedules } from './batch-schedules.service';
import { CampaignPreviewController } from './campaign-preview.controller';
import { CampaignPreviewService } from './campaign-preview.service';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';

@Module({
  imports: [RoutingModule],
  controllers: [CampaignsController, CampaignPreviewController],
  providers: [
    CampaignsService,
    BatchSchedules,
    CampaignPreviewService,
  ],
})
export class CampaignsModule {}
