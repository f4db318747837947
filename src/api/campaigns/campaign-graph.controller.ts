import { Controller, Get, Param, Query } from '@nestjs/common';
import { RequireRole } from '../common/roles';
import { CampaignGraphService } from './campaign-graph.service';

@Controller('v1/campaigns')
export class CampaignGraphController {
  constructor(private readonly service: CampaignGraphService) {}

  @Get(':key/graph')
  @RequireRole('operator')
  graph(@Param('key') key: string, @Query() query: unknown) {
    return this.service.graph(key, query);
  }
}
