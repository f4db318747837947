import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { BatchSchedules } from './batch-schedules.service';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';

@Module({ imports: [RoutingModule], controllers: [CampaignsController], providers: [CampaignsService, BatchSchedules] })
export class CampaignsModule {}
