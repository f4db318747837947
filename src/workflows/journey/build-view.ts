import type { CompiledPlan } from '../../domain/compiler';
import { aggregateValue, endingOf, type JourneyState } from '../../domain/machine';
import type { JourneyShell } from './shell';
import type { JourneyView } from './view';

function aggregatesOf(plan: CompiledPlan, window: JourneyState['paths'][number]['window'], byShape: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(window)) out[key] = aggregateValue(plan.aggregates[key], window, key, byShape);
  return out;
}

export function buildView(shell: JourneyShell): JourneyView {
  const { state, plan, id } = shell;
  return {
    workflowId: id.workflowId,
    campaignKey: id.campaignKey,
    campaignVersion: id.campaignVersion,
    userId: id.userId,
    status: state.status,
    endReason: state.endReason,
    entries: state.entries,
    states: state.paths.map((p) => p.state),
    paths: state.paths.map((p) => ({
      pathId: p.pathId,
      entryNo: p.entryNo,
      state: p.state,
      enteredAt: p.enteredAt,
      stateEnteredAt: p.stateEnteredAt,
      aggregates: aggregatesOf(plan, p.window, shell.stepOptions.exactHeldAndFolded !== false),
      steps: p.steps,
      timers: p.timers.map((t) => ({ timerId: t.timerId, fireAt: t.fireAt })),
    })),
    finished: state.finished.map((f) => ({ ...f, ending: endingOf(f) })),
    rewards: state.rewards,
    held: shell.heldActions.map((h) => ({ pathId: h.effect.pathId, stepId: h.effect.stepId, summary: h.effect.summary, error: h.error, since: h.since })),
    trace: state.trace,
    run: shell.run,
  };
}
