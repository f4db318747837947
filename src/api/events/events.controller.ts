import { Body, Controller, Inject, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config/config';
import { IncomingEvent } from '../../domain/event';
import { CONFIG } from '../core/tokens';
import { ApiRoute } from '../common/api-route';
import { PayloadTooLargeError } from '../common/errors';
import { refuseOversized } from '../common/size-caps';
import { parseInput } from '../common/zod-input';
import { EventBatch, MAX_BATCH, PostEventsBody, PostEventsResponse } from './events.schemas';
import { EventsService } from './events.service';

const exampleEvent: IncomingEvent = {
  id: 'ord-1001',
  type: 'order.completed',
  userId: 'u-42',
  occurredAt: '2026-11-21T10:00:00Z',
  properties: { amount: 25.5, productId: 1, cityId: 2 },
};

@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly service: EventsService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Post()
  @ApiRoute({
    operationId: 'ingestEvents',
    role: 'ingest',
    summary: `Send one event, or { events: [...] } with up to 1000. A resent id answers "duplicate".`,
    body: PostEventsBody,
    example: exampleEvent,
    success: { status: 202, schema: PostEventsResponse, description: 'Stored and routed to its journeys.' },
  })
  async post(@Body() body: unknown, @Req() req: FastifyRequest): Promise<PostEventsResponse> {
    const isBatch = typeof body === 'object' && body !== null && 'events' in body;
    const batch = isBatch ? (body as { events: unknown }).events : undefined;
    if (Array.isArray(batch) && batch.length > MAX_BATCH) {
      // At its path, as every other refusal of this route.
      throw new PayloadTooLargeError(`A batch holds at most ${MAX_BATCH} events.`, [{ path: 'events', message: `holds ${batch.length} events; a batch holds at most ${MAX_BATCH}` }]);
    }
    const events = isBatch ? parseInput(EventBatch, body).events : [parseInput(IncomingEvent, body)];
    // Each event is its own signal: one too large for Temporal refuses the batch, at its path.
    const capBytes = this.config.sizeCaps.eventPropertiesBytes;
    refuseOversized(events.map((e, i) => ({ path: isBatch ? `events[${i}].properties` : 'properties', value: e.properties, capBytes })));
    return this.service.ingest(events, req.id);
  }
}
