/**
 * What the journey workflow feeds the machine: signals (events, cancellations,
 * exits), its timers, and the outcomes of the actions it ran. Versioned.
 *
 * Plain types, no zod: this module is part of the workflow bundle, and the
 * SDK instantiates every bundled module once per cached workflow, so a schema
 * library here would cost memory in every journey. Signals are checked where
 * they arrive (src/workflows/journey/signal-inputs.ts).
 */
import type { JourneyEvent } from '../event';

/** Workflow time: epoch milliseconds or an ISO timestamp. */
export type Now = number | string;

interface Base {
  version: 1;
  now: Now;
}

export interface EventInput extends Base {
  kind: 'event';
  event: JourneyEvent;
  /** The user's stored profile; merged with the event's `user` property, if any. Defaults to {}. */
  user?: Record<string, unknown>;
  /**
   * The campaign version the API routed this event to as an entry (a start
   * delivery); absent for signal deliveries and from senders before it. An
   * idle journey follows it (see routed-entry.ts); `step` ignores it.
   */
  campaignVersion?: number;
  /**
   * The API delivered this event to running journeys only (a plain signal:
   * the campaign is paused, or the type starts no entry of its active
   * version): it may move paths and count in aggregates, but never enters
   * (with patch routed-entries-held-events).
   */
  signalOnly?: boolean;
}

/** Batch entry (entry.cron): the tick found this user in the audience. */
export interface ScheduledEntryInput extends Base {
  kind: 'scheduledEntry';
  /** Unique per tick, so a redelivered tick enters once. */
  tickId: string;
  user?: Record<string, unknown>;
  /** The campaign version the tick entered the user with, as for EventInput. */
  campaignVersion?: number;
  /** When the tick was due (ISO 8601), as the batch judged the audience; absent from senders before it. */
  tickAt?: string;
  /** The local time the tick stands for; a journey takes one tick per key (absent from senders before it). */
  tickKey?: string;
}

export interface TimerInput extends Base {
  kind: 'timer';
  timerId: string;
}

export type ActionOutcome = 'succeeded' | 'failed' | 'skipped' | 'exhausted' | 'notEligible';

export interface ActionOutcomeInput extends Base {
  kind: 'actionOutcome';
  pathId: string;
  stepId: string;
  outcome: ActionOutcome;
  /** What the activity reports, e.g. `{ rewardId, code }`; kept with the reward. */
  result?: unknown;
}

export interface CancelEventInput extends Base {
  kind: 'cancelEvent';
  eventId: string;
  reason?: string;
}

export interface ExitInput extends Base {
  kind: 'exit';
  reason: string;
}

/**
 * The campaign was archived: it takes no entries again, so the journey ends
 * once no path runs (at once when idle). Paths already running go on.
 */
export interface CampaignArchivedInput extends Base {
  kind: 'campaignArchived';
}

/**
 * The campaign's `schedule.endsAt` has passed while the journey waited idle
 * (patch schedule-end-held-apart): nothing can enter it again, so it ends.
 * Given by the workflow when its wait for the next input reaches `endsAt`
 * (see scheduleEndWaitMs); given early (a wait capped at the longest timer),
 * it changes nothing.
 */
export interface ScheduleEndedInput extends Base {
  kind: 'scheduleEnded';
}

/**
 * Another version of the campaign was activated, whose `schedule.endsAt`
 * differs from the one the version before it had (patch
 * schedule-end-follows-activation): the journey ends by that one from now
 * on, whichever version it runs. `endsAt` in epoch ms, null for none;
 * `activatedAt` orders activations told out of order.
 */
export interface ScheduleChangedInput extends Base {
  kind: 'scheduleChanged';
  campaignVersion: number;
  endsAt: number | null;
  activatedAt: number;
}

export type JourneyInput =
  | EventInput
  | ScheduledEntryInput
  | TimerInput
  | ActionOutcomeInput
  | CancelEventInput
  | ExitInput
  | CampaignArchivedInput
  | ScheduleEndedInput
  | ScheduleChangedInput;
