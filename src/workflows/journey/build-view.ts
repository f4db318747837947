import type { CompiledPlan } from '../../domain/compiler';
import type { AggregateSpec, FactContext } from '../../domain/conditions';
import { decimalReading } from '../../domain/conditions/decimal-reading';
import { aggregateValue, endingOf, type JourneyState } from '../../domain/machine';
import type { JourneyShell } from './shell';
import type { JourneyView } from './view';

/** decimalReading asks only `decimals`; absent, the decimal: a query asks no patch (as the preview query reads). */
const AS_DECIMAL = { decimals: undefined } as FactContext;

/**
 * Each aggregate of a path as the journey's conditions and trace read it: a sum or an average as the decimal it
 * stands for (20 for orders of 2.40, 14.20 and 3.40, not 19.999999999999996), as a rule compares it.
 */
export function aggregatesOf(plan: CompiledPlan, window: JourneyState['paths'][number]['window'], byShape: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(window)) out[key] = asRead(plan.aggregates[key], aggregateValue(plan.aggregates[key], window, key, byShape));
  return out;
}

function asRead(spec: AggregateSpec | undefined, value: unknown): unknown {
  const computed = spec?.fn === 'sum' || spec?.fn === 'avg';
  return computed && typeof value === 'number' ? decimalReading(value, AS_DECIMAL) : value;
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
