import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config/config';
import { IncomingEvent } from '../../domain/event';
import { CONFIG } from '../core/tokens';
import { PayloadTooLargeError } from '../common/errors';
import { refuseOversized } from '../common/size-caps';
import { RequireRole } from '../common/roles';
import { parseInput } from '../common/zod-input';
import { EventBatch, MAX_BATCH, type PostEventsResponse } from './events.schemas';
import { EventsService } from './events.service';

@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly service: EventsService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Post()
  @HttpCode(202)
  @RequireRole('ingest')
  async post(@Body() body: unknown, @Req() req: FastifyRequest): Promise<PostEventsResponse> {
    const isBatch = typeof body === 'object' && body !== null && 'events' in body;
    if (isBatch && Array.isArray((body as { events: unknown }).events) && (body as { events: unknown[] }).events.length > MAX_BATCH) {
      throw new PayloadTooLargeError(`A batch holds at most ${MAX_BATCH} events.`);
    }
    const events = isBatch ? parseInput(EventBatch, body).events : [parseInput(IncomingEvent, body)];
    // Each event is its own signal: one too large for Temporal refuses the batch, at its path.
    const capBytes = this.config.sizeCaps.eventPropertiesBytes;
    refuseOversized(events.map((e, i) => ({ path: isBatch ? `events[${i}].properties` : 'properties', value: e.properties, capBytes })));
    return this.service.ingest(events, req.id);
  }
}
