/** Ending paths early: exitOn events and an operator's exit. */
import type { EventFacts } from '../conditions';
import type { CompiledExit } from '../compiler';
import { entryFacts } from './facts';
import { emit, type Run } from './run';
import { endPath } from './transitions';
import { EXITED_STATE } from './end-reason';

export { EXITED_STATE } from './end-reason';

export function matchingExit(run: Run, event: EventFacts): CompiledExit | null {
  const facts = entryFacts(run, event);
  for (const rule of run.plan.exitOn) {
    if (rule.eventType !== event.type) continue;
    if (!rule.condition || rule.condition.evaluate(facts)) return rule;
  }
  return null;
}

export function exitAllPaths(run: Run, reason: string): void {
  for (const path of [...run.state.paths]) {
    emit(run, { kind: 'recordTransition', pathId: path.pathId, from: path.state, to: EXITED_STATE, at: run.nowIso, cause: reason });
    endPath(run, path, reason, 'exit');
  }
}
