/**
 * Timers for `after` and `at` transitions. A timer id names the path, the
 * state visit and the transition, so a timer from a state the path has left
 * is recognized as stale and ignored.
 */
import type { CompiledState } from '../compiler';
import { addDuration } from '../durations';
import { toEpochMs, toIso } from '../time';
import { emit, type Run } from './run';
import type { PathState, TimerRecord } from './state';

export function startStateTimers(run: Run, path: PathState, state: CompiledState): void {
  const entered = toEpochMs(path.stateEnteredAt);
  const visit = path.visits[state.name] ?? 1;
  for (const index of state.timed) {
    const t = state.transitions[index];
    if (t.kind !== 'after' && t.kind !== 'at') continue;
    // An `at` already past fires at once rather than never.
    const fireAt = t.kind === 'after' ? addDuration(entered, t.duration) : Math.max(t.at, run.now);
    const timer: TimerRecord = {
      timerId: `${path.pathId}/${state.name}/${visit}/${index}`,
      transition: index,
      fireAt: toIso(fireAt),
      due: false,
    };
    path.timers.push(timer);
    emit(run, { kind: 'startTimer', timerId: timer.timerId, fireAt: timer.fireAt, summary: t.text });
  }
}

export function cancelPathTimers(run: Run, path: PathState): void {
  for (const timer of path.timers) emit(run, { kind: 'cancelTimer', timerId: timer.timerId });
  path.timers = [];
}

export function findTimer(paths: readonly PathState[], timerId: string): { path: PathState; timer: TimerRecord } | null {
  for (const path of paths) {
    const timer = path.timers.find((t) => t.timerId === timerId);
    if (timer) return { path, timer };
  }
  return null;
}

/** Indices of timed transitions whose timers have fired. */
export function dueTransitions(path: PathState): Set<number> {
  return new Set(path.timers.filter((t) => t.due).map((t) => t.transition));
}
