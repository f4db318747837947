import { z } from 'zod';
import { AddressableId, JsonObject, StorableTimestamp } from './storable';

/** Event types are dotted lowercase names such as `order.completed`. */
export const EventType = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/, 'event type: letters, digits, and . _ : -');

/** An event as a business system sends it (CAMPAIGNS.md, "Events"). */
export const IncomingEvent = z
  .object({
    id: AddressableId.describe("The sender's idempotency key: the same id sent twice is one event."),
    type: EventType,
    userId: AddressableId,
    occurredAt: StorableTimestamp.optional().describe('Defaults to the time of receipt.'),
    properties: JsonObject.default({}),
  })
  .strict();
export type IncomingEvent = z.infer<typeof IncomingEvent>;

/** An event as it travels into a journey: time resolved, version stamped. */
export const JourneyEvent = z.object({
  version: z.literal(1),
  id: z.string(),
  type: z.string(),
  userId: z.string(),
  occurredAt: z.string(),
  properties: z.record(z.string(), z.unknown()),
  /** The id of the HTTP request that brought the event (X-Request-Id), to follow it through the logs; journeys only log it. */
  requestId: z.string().optional(),
  /**
   * When Kairos accepted the event (ISO 8601): a campaign's schedule window
   * judges an entry by it, not by when a delayed delivery reached the
   * journey. Absent on events accepted before it was sent.
   */
  receivedAt: z.string().optional(),
  /**
   * Set on start deliveries only, by the journey gateway: the campaign version
   * the API routed this event to as an entry. A journey idle on another
   * version moves to it (docs/campaigns.md, "Versions"); never stored.
   */
  campaignVersion: z.number().int().positive().optional(),
  /**
   * Set on signal deliveries only, by the journey gateway: the API routed the
   * event to running journeys only (the campaign is paused, or the type
   * starts no entry of its active version), so it is no entry, whatever the
   * journey's own version enters on; never stored.
   */
  delivery: z.literal('signal').optional(),
});
export type JourneyEvent = z.infer<typeof JourneyEvent>;

export function toJourneyEvent(event: IncomingEvent, receivedAt: Date, requestId?: string): JourneyEvent {
  return {
    version: 1,
    id: event.id,
    type: event.type,
    userId: event.userId,
    occurredAt: event.occurredAt ?? receivedAt.toISOString(),
    receivedAt: receivedAt.toISOString(),
    properties: event.properties,
    ...(requestId ? { requestId } : {}),
  };
}
