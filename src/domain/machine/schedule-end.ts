import { MAX_TIMER_MS } from '../durations';
import type { CompiledPlan } from '../compiler/plan';
import type { JourneyState } from './state';

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
export function scheduleEndWaitMs(plan: Pick<CompiledPlan, 'schedule'>, state: Pick<JourneyState, 'status'>, now: number): number | null {
  const endsAt = plan.schedule.endsAt;
  if (state.status !== 'idle' || endsAt === null) return null;
  return Math.min(Math.max(endsAt - now + 1, 1), MAX_TIMER_MS);
}
