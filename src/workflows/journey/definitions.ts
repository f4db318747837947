import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { JourneyEvent } from '../../domain/event';
import type { PreviewResult } from '../../domain/machine';
import type { JourneyView } from './view';

/** Signal payloads are versioned so running journeys keep understanding them. */
export interface CancelEventPayload {
  version: 1;
  eventId: string;
  reason?: string;
}

/** Batch entry (entry.cron): this user matched the audience on the tick `tickId`. */
export interface ScheduledEntryPayload {
  version: 1;
  tickId: string;
}

/**
 * Several events for one journey, in the order they were accepted: one
 * history event for a batch instead of one per event (a hot user). The
 * single-event `event` signal stays, for journeys already holding it and
 * for a lone event.
 */
export interface EventsPayload {
  version: 1;
  events: JourneyEvent[];
}

export interface ExitPayload {
  version: 1;
  reason: string;
}

/** Which held step to act on; may be omitted when only one step is held. */
export interface HeldActionRequest {
  version: 1;
  pathId?: string;
  stepId?: string;
}

export interface HeldActionDecision {
  pathId: string;
  stepId: string;
  decision: 'retry' | 'skip';
}

export const eventSignal = defineSignal<[JourneyEvent]>('event');
export const eventsSignal = defineSignal<[EventsPayload]>('events');
export const cancelEventSignal = defineSignal<[CancelEventPayload]>('cancelEvent');
export const exitSignal = defineSignal<[ExitPayload]>('exit');
export const scheduledEntrySignal = defineSignal<[ScheduledEntryPayload]>('scheduledEntry');
export const retryActionUpdate = defineUpdate<HeldActionDecision, [HeldActionRequest]>('retryAction');
export const skipActionUpdate = defineUpdate<HeldActionDecision, [HeldActionRequest]>('skipAction');
export const stateQuery = defineQuery<JourneyView>('state');
export const previewQuery = defineQuery<PreviewResult, [JourneyEvent]>('preview');
