import { z } from 'zod';
import { IncomingEvent } from '../../domain/event';
import { Reason } from '../../domain/storable';

export const MAX_BATCH = 1000;

export const EventBatch = z.object({ events: z.array(IncomingEvent).min(1).max(MAX_BATCH) }).strict();
export type EventBatch = z.infer<typeof EventBatch>;

export const PostEventsBody = z.union([IncomingEvent, EventBatch]);

export const EventResult = z.object({
  id: z.string(),
  status: z.enum(['accepted', 'duplicate']),
  journeys: z
    .array(z.string())
    .describe(
      'Workflow ids of the journeys the event was routed to: delivered, or kept in the outbox and retried until Temporal takes it. ' +
        'A signal to a user with no running journey in that campaign is left out, as far as known when answering (a delivery the relay sends later is listed, and may find no journey).',
    ),
  differs: z
    .array(z.enum(['type', 'userId', 'occurredAt', 'properties']))
    .optional()
    .describe(
      'Only on a duplicate whose id was first accepted with another type, user, time or properties: the fields that differ. ' +
        'The event first accepted under the id stands and this one is not used; a new event needs a new id.',
    ),
});

export const PostEventsResponse = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  results: z.array(EventResult),
});
export type PostEventsResponse = z.infer<typeof PostEventsResponse>;

export const EventIdParam = z.string().min(1).max(200);

export const CancelEventBody = z.object({ reason: Reason.describe('Why, e.g. "refund 7781"; kept with the event.') }).strict();
export type CancelEventBody = z.infer<typeof CancelEventBody>;

export const CancelEventResponse = z.object({
  id: z.string(),
  userId: z.string().describe('The user the event was about: GET /v1/users/:id/rewards shows what was reclaimed.'),
  cancelledAt: z.string().describe("The first cancel's time: cancelling again changes nothing."),
  reason: z.string().nullable(),
  alreadyCancelled: z.boolean(),
  journeys: z.array(z.string()).describe('Running journeys told of the cancel; they drop the event and reclaim what it caused.'),
  ended: z.array(z.string()).describe('Journeys no longer running (or never started): their rewards are reclaimed from the ledger directly.'),
});
export type CancelEventResponse = z.infer<typeof CancelEventResponse>;

export const EventDelivery = z.object({
  campaign: z.string(),
  version: z.number().int(),
  kind: z.enum(['start', 'signal']),
  workflowId: z.string(),
  status: z
    .enum(['pending', 'delivered', 'not-running', 'cancelled', 'dead'])
    .describe('cancelled: the event was cancelled before Kairos knew this delivery went out; it will not be sent again, and the journey was told of the cancel. A send under way when the cancel came may still have reached the journey: then attempts counts it and lastError says Temporal did not confirm it. dead: Temporal refused it for good (lastError says why) and it is no longer retried.'),
  attempts: z.number().int(),
  deliveredAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
});

export const EventDetailResponse = z.object({
  id: z.string(),
  type: z.string(),
  userId: z.string(),
  occurredAt: z.string(),
  receivedAt: z.string(),
  properties: z.record(z.string(), z.unknown()),
  deliveries: z.array(EventDelivery),
  cancellation: z
    .object({
      cancelledAt: z.string(),
      reason: z.string().nullable(),
      reclaimed: z.array(
        z.object({
          idempotencyKey: z.string(),
          rewardId: z.string().nullable(),
          outcome: z.enum(['reversed', 'voided', 'unreclaimable', 'notIssued']),
          reason: z.string().nullable(),
          at: z.string(),
        }),
      ),
    })
    .nullable()
    .describe('Null unless cancelled. Reclaiming runs in the journeys, so `reclaimed` may grow for a moment after the cancel.'),
});
export type EventDetailResponse = z.infer<typeof EventDetailResponse>;
