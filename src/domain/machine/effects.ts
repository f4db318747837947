/**
 * What the machine asks the workflow to do. Effects are data: the workflow
 * carries them out (timers, activities, search attributes, records), a
 * preview discards them.
 */
import type { RewardAction } from '../rewards/contract';

export type ResolvedAction =
  | RewardAction
  | { type: 'message'; channel: 'push' | 'sms' | 'email' | 'inapp'; template: string; data: Record<string, unknown> }
  | { type: 'webhook'; url: string; body: unknown };

export interface StartTimer {
  kind: 'startTimer';
  timerId: string;
  fireAt: string;
  /** Reads well in the Temporal UI, e.g. "collecting → nudged after P3D". */
  summary: string;
}

export interface CancelTimer {
  kind: 'cancelTimer';
  timerId: string;
}

export interface RunAction {
  kind: 'runAction';
  pathId: string;
  stepId: string;
  action: ResolvedAction;
  /** `${campaignKey}:${userId}:${entryNo}:${visitNo}:${stepId}`, each part with `%` and `:` escaped: business identity, never run ids. */
  idempotencyKey: string;
  /** The events that led here; rewards record them for reclaiming. */
  causedBy: string[];
  /** Messages only: wait until then (quiet hours); what comes after the message in its group and state waits for it. */
  notBefore?: string;
  summary: string;
}

export interface ReclaimRewards {
  kind: 'reclaimRewards';
  eventId: string;
  idempotencyKeys: string[];
  /** The reason the cancel gave, for the ledger's record (absent from journeys before patch cancel-releases-held-rewards). */
  reason?: string;
}

export interface UpdateSearchAttributes {
  kind: 'updateSearchAttributes';
  JourneyState: string[];
}

export interface RecordTransition {
  kind: 'recordTransition';
  pathId: string;
  /** Null when the path enters the campaign. */
  from: string | null;
  /** A state, or `(exited)` when exitOn or an operator ended the path. */
  to: string;
  at: string;
  cause: string;
  /** An entry judged at another time than `at` (a scheduled entry's tick): the time its entry counts from. */
  entryAt?: string;
}

/** The journey is over: nothing that arrives later can change it. */
export interface End {
  kind: 'end';
  reason: string;
}

export type Effect = StartTimer | CancelTimer | RunAction | ReclaimRewards | UpdateSearchAttributes | RecordTransition | End;
