import { z } from 'zod';
import { IncomingEvent } from '../../domain/event';

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
        'A signal to a user with no running journey in that campaign is left out.',
    ),
});

export const PostEventsResponse = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  results: z.array(EventResult),
});
export type PostEventsResponse = z.infer<typeof PostEventsResponse>;
