/** The short description of a plan that the API's validate endpoint returns. */
import type { CompiledPlan, PlanSummary } from './plan';
import { actionsOf } from './steps';

export function summarize(plan: Omit<CompiledPlan, 'summary'>, pools: Iterable<string>): PlanSummary {
  const states = Object.values(plan.states);
  return {
    key: plan.key,
    version: plan.version,
    name: plan.name,
    states: states.map((s) => s.name),
    endStates: states.filter((s) => s.end).map((s) => s.name),
    initial: plan.initial,
    entryTypes: plan.entryTypes,
    entryCron: plan.entry.cron,
    listenTypes: plan.listenTypes,
    actions: states.reduce((n, s) => n + actionsOf(s.actions).length, 0),
    transitions: states.reduce((n, s) => n + s.transitions.length, 0),
    pools: [...new Set(pools)].sort(),
  };
}
