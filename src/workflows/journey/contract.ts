/**
 * The journey's contract: everything code outside the workflow may know about
 * a journey (its id, its input, the signals, queries and updates it answers,
 * the search attributes it carries). The API, the activities and the gateway
 * import this file, never the workflow's own; it imports only
 * @temporalio/workflow's definers and types, so it is safe on both sides.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { JourneyEvent } from '../../domain/event';
import type { PreviewResult } from '../../domain/machine';
import type { CarriedJourney, PendingInput } from './carried';
import type { JourneyView } from './view';

export type { JourneyView, HeldActionView } from './view';
export type { CarriedJourney } from './carried';

/** The workflow type a journey runs as: the exported name of the workflow function. */
export const JOURNEY_WORKFLOW_TYPE = 'journeyWorkflow';

/** One journey per (campaign, user): a second start reaches the running one. */
export const journeyWorkflowId = (campaignKey: string, userId: string): string => `journey:${campaignKey}:${userId}`;

/** Versioned: a running journey keeps understanding the input it was started with. */
export interface JourneyWorkflowInput {
  version: 1;
  campaignKey: string;
  /** The plan version this journey runs to its end (DESIGN.md decision 3). */
  campaignVersion: number;
  userId: string;
  /** Set by continue-as-new only. */
  carried?: CarriedJourney;
  /**
   * Set by continue-as-new only: a journey that ended took these entries
   * while its run finished its effects; this run is the next journey and
   * takes them first, as a journey started by them would (patch entries-after-end).
   */
  arrivedAfterEnd?: PendingInput[];
  /**
   * Set by continue-as-new only, with `arrivedAfterEnd`, by a run on patch
   * seen-events-outlive-run: what the journey that ended had taken or seen
   * cancelled (its `seenEventIds` and `cancelledEventIds`, as bounded), less
   * the entries it kept for this one. This run, the next journey, starts
   * with them, so a resend of an event the ended journey took does not
   * enter again when it reaches this run. Absent from every input recorded
   * before it.
   */
  seenBefore?: SeenBefore;
}

/** Ids an ended journey had taken or seen cancelled, passed on to the next journey (see JourneyWorkflowInput.seenBefore). */
export interface SeenBefore {
  seenEventIds: string[];
  cancelledEventIds: string[];
}

export interface JourneyOutcome {
  status: string;
  endReason: string | null;
  entries: number;
}

/** The journey workflow's signature, for typed starts by type name. */
export type JourneyWorkflow = (input: JourneyWorkflowInput) => Promise<JourneyOutcome>;

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
  /** The campaign version the tick enters the user with (absent from senders before it): an idle journey moves to it. */
  campaignVersion?: number;
  /** When the tick was due (ISO 8601): the journey judges the entry then, as the batch did (absent from senders before it). */
  tickAt?: string;
  /** The local time the tick stands for (`2026-10-25T02:30`): two ticks of one such time enter once (absent from senders before it). */
  tickKey?: string;
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

/**
 * The campaign was archived: it takes no entries again, so the journey ends
 * once no path runs instead of waiting for one (patch archive-ends-journeys).
 * Sent to every running journey of the campaign by archivedCampaignWorkflow.
 */
export interface CampaignArchivedPayload {
  version: 1;
}

/**
 * Another version of the campaign was activated, and its `schedule.endsAt`
 * differs from the version's before it: a running journey ends by it from
 * now on, whichever version it runs (patch schedule-end-follows-activation).
 * Sent to every running journey of the campaign by
 * campaignScheduleWorkflow, which reads it from PostgreSQL as it tells.
 * Instants are ISO 8601; `endsAt` null: no end; `activatedAt`: when that
 * version became the active one, by the database's clock
 * (`campaigns.active_since`). Of two told out of order, the later
 * `activatedAt` wins. A run also learns it at its start (the start lookup).
 */
export interface CampaignSchedulePayload {
  version: 1;
  campaignVersion: number;
  endsAt: string | null;
  activatedAt: string;
}

/** Which held step to act on; may be omitted when only one step is held. */
export interface HeldActionRequest {
  version: 1;
  pathId?: string;
  stepId?: string;
  /**
   * The `since` of the hold the caller saw (an ISO 8601 instant): the updates' validator refuses the
   * request (NotHeld) when the step is held since another time, a later hold the caller has not seen.
   * Read by the validator only, which is not replayed; the handler never reads it.
   */
  since?: string;
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
export const campaignArchivedSignal = defineSignal<[CampaignArchivedPayload]>('campaignArchived');
export const campaignScheduleSignal = defineSignal<[CampaignSchedulePayload]>('campaignSchedule');
export const retryActionUpdate = defineUpdate<HeldActionDecision, [HeldActionRequest]>('retryAction');
export const skipActionUpdate = defineUpdate<HeldActionDecision, [HeldActionRequest]>('skipAction');
export const stateQuery = defineQuery<JourneyView>('state');
/**
 * `at`: when the caller asks (epoch ms). A query sees the time of the journey's last workflow task, not now;
 * workers from before it ignore it and preview at that time.
 */
export const previewQuery = defineQuery<PreviewResult, [event: JourneyEvent, at?: number]>('preview');

/**
 * A typed search-attribute key as plain data (what @temporalio/common's
 * defineSearchAttributeKey returns), so workflow code and the client share
 * the keys without the workflow importing client packages.
 */
const searchAttributeKey = <T extends 'KEYWORD' | 'INT'>(name: string, type: T): { name: string; type: T } => ({ name, type });

/**
 * Search attributes every journey carries (DESIGN.md decision 7): keywords,
 * and the campaign version a journey entered with as an Int, so operators
 * can ask for `CampaignVersion < 3`. All but JourneyState are set at start.
 */
export const campaignKeySearchAttribute = searchAttributeKey('CampaignKey', 'KEYWORD');
export const userIdSearchAttribute = searchAttributeKey('UserId', 'KEYWORD');
export const journeyStateSearchAttribute = searchAttributeKey('JourneyState', 'KEYWORD');
export const campaignVersionSearchAttribute = searchAttributeKey('CampaignVersion', 'INT');

export const journeySearchAttributes = [
  campaignKeySearchAttribute,
  userIdSearchAttribute,
  journeyStateSearchAttribute,
  campaignVersionSearchAttribute,
] as const;

/** `JourneyState` of a journey with no state to show (no path, none ended yet). */
export const NO_STATE_SHOWN = 'none';

/** `JourneyState` while an action of the journey waits for an operator. */
export const HELD_STATE = 'held';

/**
 * `JourneyState` while an action waits for an operator, in a journey whose
 * campaign version has a state named `held` (patch schedule-end-held-apart): there
 * `held` is where a path waits, and a marker in parentheses cannot be a
 * state name. Journeys of every other version keep `held`, which operators
 * query in the Temporal UI.
 */
export const HELD_STATE_APART = '(held)';

/** The marker a journey of a version with these states shows while it holds a step (see HELD_STATE_APART). */
export const heldMarkerFor = (states: Iterable<string>): string => ([...states].includes(HELD_STATE) ? HELD_STATE_APART : HELD_STATE);
