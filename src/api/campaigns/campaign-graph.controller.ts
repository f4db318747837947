import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiRoute } from '../common/api-route';
import { CampaignGraphResponse, GraphQuery } from './campaign-graph.schemas';
import { CampaignGraphService } from './campaign-graph.service';

@Controller('v1/campaigns')
export class CampaignGraphController {
  constructor(private readonly service: CampaignGraphService) {}

  @Get(':key/graph')
  @ApiRoute({
    operationId: 'getCampaignGraph',
    role: 'operator',
    summary:
      "A version's compiled plan as a graph: the entry, states with their actions and strategy, end states, one edge per transition target labelled by what fires it (event and condition, after, at, when, split weight), and exitOn. Node ids match the funnel's states and edges.",
    query: GraphQuery,
    success: { status: 200, schema: CampaignGraphResponse, description: 'The graph.' },
    errors: [404],
  })
  graph(@Param('key') key: string, @Query() query: unknown) {
    return this.service.graph(key, query);
  }
}
