import { MAX_TIMER_MS } from '../durations';
import type { CompiledPlan } from '../compiler/plan';
import type { ScheduleChangedInput } from './inputs';
import type { JourneyState } from './state';

/**
 * When the journey's campaign schedule ends (epoch ms, null: never): as the
 * campaign's active version has it when an activation told the journey
 * (patch schedule-end-follows-activation), else as the version it runs.
 */
export function campaignEndsAt(plan: Pick<CompiledPlan, 'schedule'>, state: Pick<JourneyState, 'scheduleTold'>): number | null {
  return state.scheduleTold ? state.scheduleTold.endsAt : plan.schedule.endsAt;
}

/**
 * How long an idle journey waits for its next input before its campaign's
 * `schedule.endsAt` ends it (patch schedule-end-held-apart); null when it is
 * not idle or the schedule has no end. An idle journey takes only entries,
 * and none come after `endsAt`: without this wait it ended only when some
 * input reached it after that, and else ran on in Temporal for good. The
 * wait ends just past `endsAt` (the step ends a journey once its time is
 * after it), at most the longest timer Kairos sets; woken earlier than
 * `endsAt`, the journey waits again.
 */
export function scheduleEndWaitMs(plan: Pick<CompiledPlan, 'schedule'>, state: Pick<JourneyState, 'status' | 'scheduleTold'>, now: number): number | null {
  const endsAt = campaignEndsAt(plan, state);
  if (state.status !== 'idle' || endsAt === null) return null;
  return Math.min(Math.max(endsAt - now + 1, 1), MAX_TIMER_MS);
}

/**
 * What a run learns at its start of the campaign's active schedule (patch
 * schedule-end-follows-activation), as the input to take; null when there is
 * nothing to learn: the run is on the active version and was told nothing,
 * or it was told this activation or a later one already. The telling at
 * activation reaches the runs listed then; this reaches one that began on an
 * older version after it, or continued as new meanwhile.
 */
export function scheduleToLearn(
  plan: Pick<CompiledPlan, 'version'>,
  state: Pick<JourneyState, 'scheduleTold'>,
  active: { campaignVersion: number; endsAt: number | null; activatedAt: number },
): Omit<ScheduleChangedInput, 'version' | 'now'> | null {
  if (active.campaignVersion === plan.version && !state.scheduleTold) return null;
  if (state.scheduleTold && state.scheduleTold.activatedAt >= active.activatedAt) return null;
  return { kind: 'scheduleChanged', campaignVersion: active.campaignVersion, endsAt: active.endsAt, activatedAt: active.activatedAt };
}
