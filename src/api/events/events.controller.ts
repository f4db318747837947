import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { IncomingEvent } from '../../domain/event';
import { PayloadTooLargeError } from '../common/errors';
import { RequireRole } from '../common/roles';
import { parseInput } from '../common/zod-input';
import { EventBatch, MAX_BATCH, type PostEventsResponse } from './events.schemas';
import { EventsService } from './events.service';

@Controller('v1/events')
export class EventsController {
  constructor(private readonly service: EventsService) {}

  @Post()
  @HttpCode(202)
  @RequireRole('ingest')
  async post(@Body() body: unknown, @Req() req: FastifyRequest): Promise<PostEventsResponse> {
    const isBatch = typeof body === 'object' && body !== null && 'events' in body;
    if (isBatch && Array.isArray((body as { events: unknown }).events) && (body as { events: unknown[] }).events.length > MAX_BATCH) {
      throw new PayloadTooLargeError(`A batch holds at most ${MAX_BATCH} events.`);
    }
    const events = isBatch ? parseInput(EventBatch, body).events : [parseInput(IncomingEvent, body)];
    return this.service.ingest(events, req.id);
  }
}
