/**
 * What the journey workflow feeds the machine: signals (events, cancellations,
 * exits), its timers, and the outcomes of the actions it ran. Versioned, and
 * validated with zod so a malformed signal is refused at the edge instead of
 * corrupting a journey.
 */
import { z } from 'zod';
import { JourneyEvent } from '../event';

/** Workflow time: epoch milliseconds or an ISO timestamp. */
export const Now = z.union([z.number().finite(), z.string().min(1)]);

const base = { version: z.literal(1), now: Now };

export const EventInput = z.object({
  ...base,
  kind: z.literal('event'),
  event: JourneyEvent,
  /** The user's stored profile; merged with the event's `user` property, if any. */
  user: z.record(z.string(), z.unknown()).default({}),
});

/** Batch entry (entry.cron): the tick found this user in the audience. */
export const ScheduledEntryInput = z.object({
  ...base,
  kind: z.literal('scheduledEntry'),
  /** Unique per tick, so a redelivered tick enters once. */
  tickId: z.string().min(1),
  user: z.record(z.string(), z.unknown()).default({}),
});

export const TimerInput = z.object({ ...base, kind: z.literal('timer'), timerId: z.string().min(1) });

export const ActionOutcome = z.enum(['succeeded', 'failed', 'skipped', 'exhausted', 'notEligible']);
export type ActionOutcome = z.infer<typeof ActionOutcome>;

export const ActionOutcomeInput = z.object({
  ...base,
  kind: z.literal('actionOutcome'),
  pathId: z.string(),
  stepId: z.string(),
  outcome: ActionOutcome,
  /** What the activity reports, e.g. `{ rewardId, code }`; kept with the reward. */
  result: z.unknown().optional(),
});

export const CancelEventInput = z.object({
  ...base,
  kind: z.literal('cancelEvent'),
  eventId: z.string().min(1),
  reason: z.string().optional(),
});

export const ExitInput = z.object({ ...base, kind: z.literal('exit'), reason: z.string().min(1) });

export const JourneyInput = z.discriminatedUnion('kind', [
  EventInput,
  ScheduledEntryInput,
  TimerInput,
  ActionOutcomeInput,
  CancelEventInput,
  ExitInput,
]);
export type JourneyInput = z.input<typeof JourneyInput>;
export type EventInput = z.input<typeof EventInput>;
export type ScheduledEntryInput = z.input<typeof ScheduledEntryInput>;
export type TimerInput = z.infer<typeof TimerInput>;
export type ActionOutcomeInput = z.infer<typeof ActionOutcomeInput>;
export type CancelEventInput = z.infer<typeof CancelEventInput>;
export type ExitInput = z.infer<typeof ExitInput>;
