/**
 * The events behind a snapshot's aggregate values (patch
 * aggregate-branch-causes). A state's immediate branches read the aggregates
 * as they were when the transition into the state fired (its snapshot),
 * while the window they came from stays behind with the state left. A
 * branch whose condition reads them helped fire its move as much as a
 * `when` or an `on … if` reading the same aggregates would have: the events
 * that counted are among its causes, so cancelling one reclaims the rewards
 * that follow (CAMPAIGNS.md, "Cancelling an event"). A `when` or `on … if`
 * names the events of the aggregates it reads itself (transitions.ts,
 * `helped`); these are named only by the branch that reads them and fires.
 */
import type { AggregateSpec } from '../conditions';
import type { CompiledPlan } from '../compiler';
import { contributors, newestFirst } from './aggregates';
import type { Run } from './run';
import { LIMITS, type PathState } from './state';

/** Per aggregate key, the ids of the events that counted in it when the snapshot was taken, oldest first. */
export type SnapshotCauses = Record<string, string[]>;

const readByBranches = new WeakMap<CompiledPlan, Map<string, readonly AggregateSpec[]>>();

/**
 * The aggregates that immediate branches read from the snapshot a path
 * brings into `state`: its own, and those of every state a move on arrival
 * (a branch, a split, a `when` or an `on` firing at once) leads to, which
 * inherits the same snapshot. A timer's move takes a new one.
 */
export function aggregatesBranchesRead(plan: CompiledPlan, state: string): readonly AggregateSpec[] {
  let byState = readByBranches.get(plan);
  if (!byState) readByBranches.set(plan, (byState = new Map()));
  const known = byState.get(state);
  if (known) return known;
  const specs = new Map<string, AggregateSpec>();
  const seen = new Set<string>();
  const next = [state];
  while (next.length > 0) {
    const name = next.pop()!;
    if (seen.has(name) || !Object.hasOwn(plan.states, name)) continue;
    seen.add(name);
    for (const t of plan.states[name].transitions) {
      if (t.kind === 'immediate') for (const spec of t.condition?.aggregates ?? []) specs.set(spec.key, spec);
      if (t.kind === 'split') next.push(...t.branches.map((b) => b.to));
      else if (t.kind !== 'after' && t.kind !== 'at') next.push(t.to);
    }
  }
  const found = [...specs.values()];
  byState.set(state, found);
  return found;
}

/**
 * What a path leaving its state for `to` (the snapshot taken now) carries
 * for the branches there to name as causes: the newest LIMITS.causedBy
 * events of the aggregates they read, or nothing. The journey's patch is
 * asked only when there is something to carry (StepOptions.snapshotCauses).
 */
export function snapshotCausesFor(run: Run, path: PathState, to: string): SnapshotCauses | undefined {
  const specs = aggregatesBranchesRead(run.plan, to);
  if (specs.length === 0) return undefined;
  const lists = specs.map((spec) => contributors(path, [spec], run.exactHeldAndFolded));
  const newest = new Set(newestFirst(lists).slice(0, LIMITS.causedBy));
  if (newest.size === 0 || !(run.snapshotCauses === undefined || run.snapshotCauses())) return undefined;
  const causes: SnapshotCauses = {};
  for (const [i, spec] of specs.entries()) {
    const ids = lists[i].filter((id) => newest.has(id));
    if (ids.length > 0) causes[spec.key] = ids;
  }
  return causes;
}

/** The events a firing branch whose condition reads `specs` names as causes, newest first (as `when` names its own). */
export function branchHelped(path: PathState, specs: readonly AggregateSpec[]): string[] {
  const causes = path.snapshotCauses;
  if (!causes || specs.length === 0) return [];
  return newestFirst(specs.map((spec) => (Object.hasOwn(causes, spec.key) ? causes[spec.key] : [])));
}
