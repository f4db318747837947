import { Body, Controller, Get, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiRoute } from '../common/api-route';
import { inputPart, parseAll, parseInput } from '../common/zod-input';
import { EventCancelService } from './event-cancel.service';
import { EventDetailService } from './event-detail.service';
import { CancelEventBody, CancelEventResponse, EventDetailResponse, EventIdParam } from './events.schemas';

/** Support's side of events: look one up, cancel it. Ingestion stays in EventsController. */
@Controller('v1/events')
export class EventSupportController {
  constructor(
    private readonly detail: EventDetailService,
    private readonly cancels: EventCancelService,
  ) {}

  @Get(':id')
  @ApiRoute({
    operationId: 'getEvent',
    role: 'support',
    summary: 'The event as stored, its deliveries to journeys (status, attempts, when delivered) and, if cancelled, when, why and what was reclaimed.',
    success: { status: 200, schema: EventDetailResponse, description: 'The event.' },
    errors: [404],
  })
  get(@Param('id') id: string) {
    return this.detail.get(parseInput(EventIdParam, id, 'id'));
  }

  /** 202: the cancel is recorded and the journeys told; their reclaiming finishes on its own. */
  @Post(':id/cancel')
  @ApiRoute({
    operationId: 'cancelEvent',
    role: 'support',
    summary:
      'Cancel an event: it stops counting, its deliveries not yet sent are dropped, and every reward it caused is reclaimed (in the journeys, and from the ledger for ended ones). Cancelling twice is one cancel: the answer keeps the first time and reason.',
    body: CancelEventBody,
    example: { reason: 'refund 7781' },
    success: { status: 202, schema: CancelEventResponse, description: 'Recorded; the journeys are told.' },
    errors: [404],
  })
  cancel(@Param('id') id: string, @Body() body: unknown, @Req() req: FastifyRequest) {
    // The id and the body at once: a 400 names every bad part.
    const [eventId, { reason }] = parseAll(inputPart(EventIdParam, id, 'id'), inputPart(CancelEventBody, body ?? {}));
    return this.cancels.cancel(eventId, reason, req.id);
  }
}
