/**
 * Checks on the shape of the state graph that a schema cannot express:
 * targets exist, every state can be reached, every non-end state has a way
 * out, and immediate transitions cannot loop forever.
 */
import type { Campaign } from '../campaign/schema';
import { joinPath } from '../issues';
import type { CompileContext } from './context';
import type { CompiledTransition } from './plan';
import { isImmediate, isUnconditional, targetsOf } from './transitions';

type Graph = ReadonlyMap<string, readonly CompiledTransition[]>;

const statePath = (name: string) => joinPath('states', name);
const transitionPath = (state: string, index: number) => joinPath(joinPath(statePath(state), 'transitions'), index);

export function checkGraph(ctx: CompileContext, campaign: Campaign, graph: Graph): void {
  const names = Object.keys(campaign.states);
  if (!(campaign.initial in campaign.states)) {
    ctx.report('initial', `unknown state "${campaign.initial}"; states are: ${names.join(', ')}`);
  }
  checkTargets(ctx, campaign, graph, names);
  checkWaysOut(ctx, campaign, graph);
  if (campaign.initial in campaign.states) checkReachable(ctx, campaign.initial, graph);
  checkImmediateLoops(ctx, graph);
}

function checkTargets(ctx: CompileContext, campaign: Campaign, graph: Graph, names: string[]): void {
  for (const [state, transitions] of graph) {
    for (const t of transitions) {
      const targets = targetsOf(t);
      targets.forEach((to, i) => {
        if (to in campaign.states) return;
        const path = t.kind === 'split'
          ? joinPath(joinPath(joinPath(transitionPath(state, t.index), 'split'), i), 'to')
          : joinPath(transitionPath(state, t.index), 'to');
        ctx.report(path, `unknown state "${to}"; states are: ${names.join(', ')}`);
      });
    }
  }
}

function checkWaysOut(ctx: CompileContext, campaign: Campaign, graph: Graph): void {
  for (const [state, transitions] of graph) {
    const definition = campaign.states[state];
    if (definition.end) {
      if (definition.transitions.length > 0) {
        ctx.report(joinPath(statePath(state), 'transitions'), `"${state}" is an end state: its transitions would never be used`);
      }
      continue;
    }
    if (definition.transitions.length === 0) {
      ctx.report(statePath(state), `"${state}" has no way out: add a transition or mark it "end": true`);
      continue;
    }
    const firstAlways = transitions.findIndex(isUnconditional);
    if (firstAlways >= 0 && firstAlways < transitions.length - 1) {
      const dead = transitions[firstAlways + 1];
      ctx.report(
        transitionPath(state, dead.index),
        `never checked: transition ${firstAlways} of "${state}" always fires first`,
      );
    }
    if (transitions.length > 0 && transitions.every((t) => t.kind === 'immediate' && t.condition !== null)) {
      ctx.report(
        joinPath(statePath(state), 'transitions'),
        `"${state}" only has conditional branches; when none holds the path would be stuck: make the last one unconditional or add a transition that waits (on, when, after, at)`,
      );
    }
  }
}

function checkReachable(ctx: CompileContext, initial: string, graph: Graph): void {
  const seen = new Set([initial]);
  const queue = [initial];
  while (queue.length > 0) {
    const state = queue.shift() as string;
    for (const t of graph.get(state) ?? []) {
      for (const to of targetsOf(t)) {
        if (!seen.has(to) && graph.has(to)) {
          seen.add(to);
          queue.push(to);
        }
      }
    }
  }
  for (const state of graph.keys()) {
    if (!seen.has(state)) ctx.report(statePath(state), `"${state}" cannot be reached from the initial state "${initial}"`);
  }
}

/** Depth-first search over immediate edges only; a back edge is a loop that would never wait. */
function checkImmediateLoops(ctx: CompileContext, graph: Graph): void {
  const color = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();

  const visit = (state: string): void => {
    color.set(state, 'open');
    stack.push(state);
    for (const t of graph.get(state) ?? []) {
      if (!isImmediate(t)) continue;
      for (const to of targetsOf(t)) {
        if (!graph.has(to)) continue;
        if (color.get(to) === 'open') {
          const loop = [...stack.slice(stack.indexOf(to)), to];
          const id = [...loop].sort().join('|');
          if (!reported.has(id)) {
            reported.add(id);
            ctx.report(
              transitionPath(state, t.index),
              `loop of immediate transitions: ${loop.join(' → ')}; add a transition that waits (on, when, after, at) on the way`,
            );
          }
        } else if (!color.has(to)) {
          visit(to);
        }
      }
    }
    stack.pop();
    color.set(state, 'done');
  };

  for (const state of graph.keys()) if (!color.has(state)) visit(state);
}
