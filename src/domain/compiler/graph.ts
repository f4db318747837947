/**
 * Checks on the shape of the state graph that a schema cannot express:
 * targets exist, every state can be reached, every non-end state has a way
 * out, and immediate transitions (or `at` ones, once past) cannot loop forever.
 */
import type { Campaign } from '../campaign/schema';
import { joinPath, listedNames, MAX_LISTED_NAMES } from '../issues';
import { toIso } from '../time';
import { shortestWay, strongComponents } from './components';
import { constantValue, takesEvery } from './constant-condition';
import type { CompileContext } from './context';
import { MAX_TRANSITIONS_PER_INPUT, type CompiledTransition } from './plan';
import { isImmediate, isUnconditional, targetsOf } from './transitions';

type Graph = ReadonlyMap<string, readonly CompiledTransition[]>;

const statePath = (name: string) => joinPath('states', name);

/** What a reference to a state that does not exist is told (here, and on the JSON as sent: raw-references.ts). */
export const unknownStateMessage = (name: string, names: readonly string[]) => `unknown state "${name}"; states are: ${listedNames(names)}`;
/** Immediate loops reported at most (then the compiler stops looking: the campaign is refused anyway). */
const MAX_LISTED_LOOPS = 20;

/** A loop's states in order, the middle of a long one elided. */
function loopText(loop: readonly string[]): string {
  if (loop.length <= MAX_LISTED_NAMES) return loop.join(' → ');
  return [...loop.slice(0, MAX_LISTED_NAMES - 2), `… (${loop.length - MAX_LISTED_NAMES + 1} more)`, loop[loop.length - 1]].join(' → ');
}

const transitionPath = (state: string, index: number) => joinPath(joinPath(statePath(state), 'transitions'), index);

/**
 * A declared state: an own key of `states`. `in` would also find the members
 * every object inherits (`toString`, `constructor`, `__proto__`...), which a
 * journey then tried to enter.
 */
const isState = (campaign: Campaign, name: string): boolean => Object.hasOwn(campaign.states, name);

export function checkGraph(ctx: CompileContext, campaign: Campaign, graph: Graph): void {
  const names = Object.keys(campaign.states);
  // Own states only, admitting or not: an `initial` that is not one left every state unreachable, refused either way.
  const initialIsState = isState(campaign, campaign.initial);
  if (!initialIsState) ctx.report('initial', unknownStateMessage(campaign.initial, names));
  checkTargets(ctx, campaign, graph, names);
  if (ctx.admitting) checkTransitionIds(ctx, campaign);
  checkWaysOut(ctx, campaign, graph);
  if (initialIsState) checkReachable(ctx, campaign.initial, writtenTargets(campaign));
  const looped = checkImmediateLoops(ctx, graph);
  if (ctx.admitting && !looped) checkImmediateChains(ctx, graph);
  if (ctx.admitting) checkAtLoops(ctx, campaign, graph);
}

/**
 * The longest run of immediate transitions from each state (the graph of
 * immediate edges has no loop here; a `when` that always holds fires on
 * arrival, so it is a link too). One input takes at most
 * MAX_TRANSITIONS_PER_INPUT transitions (machine/transitions.ts, `take`).
 * The initial state's chain runs from the entry, which takes none of them
 * (machine/entry.ts, `createPath`); a state that a transition that waits
 * (on, when, after, at) enters starts with one spent: that transition. Past
 * that, a journey would stop halfway, in a state that waits for nothing.
 * Checked when admitting only: a stored version compiles as it was accepted.
 */
function checkImmediateChains(ctx: CompileContext, graph: Graph): void {
  const isLink = (t: CompiledTransition) => isImmediate(t) || alwaysHolds(t);
  const next = new Map<string, string[]>();
  const into = new Map<string, number>([...graph.keys()].map((s) => [s, 0]));
  /** A state → the first transition that waits and comes into it, as [from, index]. */
  const enteredBy = new Map<string, [string, number]>();
  for (const [state, transitions] of graph) {
    const targets = transitions.filter(isLink).flatMap(targetsOf).filter((to) => graph.has(to));
    next.set(state, targets);
    for (const to of targets) into.set(to, (into.get(to) ?? 0) + 1);
    for (const t of transitions) {
      if (isLink(t)) continue;
      for (const to of targetsOf(t)) if (graph.has(to) && !enteredBy.has(to)) enteredBy.set(to, [state, t.index]);
    }
  }
  // Kahn's order (no recursion: a chain may be thousands of states long), then lengths from the far end back.
  const order = [...into].filter(([, n]) => n === 0).map(([s]) => s);
  for (let i = 0; i < order.length; i++) {
    for (const to of next.get(order[i]) ?? []) {
      const left = (into.get(to) ?? 0) - 1;
      into.set(to, left);
      if (left === 0) order.push(to);
    }
  }
  const longest = new Map<string, number>();
  for (const state of order.reverse()) longest.set(state, Math.max(0, ...(next.get(state) ?? []).map((to) => 1 + (longest.get(to) ?? 0))));
  // The chain that overruns the most (with its way in), reported once: the campaign is refused anyway.
  let worst: { state: string; length: number; spent: number } | null = null;
  for (const [state, length] of longest) {
    const spent = enteredBy.has(state) ? 1 : 0;
    if (spent + length > MAX_TRANSITIONS_PER_INPUT && (worst === null || spent + length > worst.spent + worst.length)) worst = { state, length, spent };
  }
  if (worst === null) return;
  const { state, length, spent } = worst;
  const budget = MAX_TRANSITIONS_PER_INPUT - spent;
  // Where a path on the longest way runs out: `budget` links on from here.
  let stop = state;
  for (let i = 0; i < budget; i++) {
    const onward = next.get(stop) ?? [];
    if (onward.length === 0) break;
    stop = onward.reduce((a, b) => ((longest.get(b) ?? 0) > (longest.get(a) ?? 0) ? b : a));
  }
  const fix = 'add a transition that waits (on, when, after, at) on the way, or shorten the chain';
  const by = enteredBy.get(state);
  ctx.report(
    statePath(state),
    by === undefined
      ? `a chain of ${length} immediate transitions starts here; one input takes at most ${MAX_TRANSITIONS_PER_INPUT}, so a journey would stop on the way (in "${stop}"): ${fix}`
      : `a chain of ${length} immediate transitions starts here; one input takes at most ${MAX_TRANSITIONS_PER_INPUT}, and a path that comes in by a transition that waits (${transitionPath(by[0], by[1])}) has taken one of them on that input, so a chain from here may be at most ${budget} long: a journey would stop on the way (in "${stop}"): ${fix}`,
  );
}

function checkTargets(ctx: CompileContext, campaign: Campaign, graph: Graph, names: string[]): void {
  for (const [state, transitions] of graph) {
    for (const t of transitions) {
      const targets = targetsOf(t);
      targets.forEach((to, i) => {
        // Admitting: own states only. A stored version compiles as it was accepted, `in` and all (machine/transitions.ts
        // ends a path that takes such a transition, rather than wedge its journey).
        if (ctx.admitting ? isState(campaign, to) : to in campaign.states) return;
        const path = t.kind === 'split'
          ? joinPath(joinPath(joinPath(transitionPath(state, t.index), 'split'), i), 'to')
          : joinPath(transitionPath(state, t.index), 'to');
        ctx.report(path, unknownStateMessage(to, names));
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
    // Admitting only (a stored version compiles as it was accepted): a transition whose condition never holds (`when: false`,
    // `if: "1 == 2"`, a way to switch one off while testing) is no way out; a state with nothing else keeps its paths for ever.
    if (ctx.admitting && transitions.length === definition.transitions.length && transitions.every(neverFires)) {
      ctx.report(statePath(state), `"${state}" has no way out: its transitions' conditions never hold (add one that can fire, or mark it "end": true)`);
      continue;
    }
    // A `when` that always holds fires on arrival, before anything after it is looked at (admitting only, as a branch whose `if` always holds).
    const firstAlways = transitions.findIndex((t) => isUnconditional(t) || (ctx.admitting && (isConstantBranch(t) || alwaysHolds(t))));
    if (firstAlways >= 0 && firstAlways < transitions.length - 1) {
      const dead = transitions[firstAlways + 1];
      ctx.report(
        transitionPath(state, dead.index),
        `never checked: transition ${firstAlways} of "${state}" always fires first`,
      );
    }
    if (ctx.admitting) checkEventsTakenFirst(ctx, state, transitions, definition.transitions);
    // A branch whose `if` always holds (`if: true`) is no conditional one: it always fires (admitting or not, so a
    // stored version compiles whenever it was admitted).
    if (transitions.length > 0 && transitions.every((t) => t.kind === 'immediate' && t.condition !== null && !isConstantBranch(t))) {
      ctx.report(
        joinPath(statePath(state), 'transitions'),
        `"${state}" only has conditional branches; when none holds the path would be stuck: make the last one unconditional or add a transition that waits (on, when, after, at)`,
      );
    }
  }
}

/**
 * Each state's targets as written, whether or not each transition compiled:
 * a transition with a bad condition or duration is reported at its own path,
 * and its target must not be called unreachable on top of that.
 */
function writtenTargets(campaign: Campaign): ReadonlyMap<string, readonly string[]> {
  return new Map(
    Object.entries(campaign.states).map(([state, definition]) => [
      state,
      definition.transitions.flatMap((t) => (t.split ? t.split.map((b) => b.to) : t.to !== undefined ? [t.to] : [])),
    ]),
  );
}

function checkReachable(ctx: CompileContext, initial: string, targets: ReadonlyMap<string, readonly string[]>): void {
  const seen = new Set([initial]);
  const queue = [initial];
  while (queue.length > 0) {
    const state = queue.shift() as string;
    for (const to of targets.get(state) ?? []) {
      if (!seen.has(to) && targets.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  for (const state of targets.keys()) {
    if (!seen.has(state)) ctx.report(statePath(state), `"${state}" cannot be reached from the initial state "${initial}"`);
  }
}

/**
 * Transitions are checked in order and the first that fires wins, so an `on`
 * transition with no `if` (or `if: true`) takes every event of its type: a
 * later `on` for that type never fires. Admitting only: a stored version
 * compiles as it was accepted.
 */
function checkEventsTakenFirst(
  ctx: CompileContext,
  state: string,
  transitions: readonly CompiledTransition[],
  written: Campaign['states'][string]['transitions'],
): void {
  const takenBy = new Map<string, number>();
  for (const t of transitions) {
    if (t.kind !== 'on') continue;
    const first = takenBy.get(t.eventType);
    if (first !== undefined) {
      ctx.report(transitionPath(state, t.index), `never fires: transition ${first} of "${state}" takes every "${t.eventType}" event first (it has no "if"); give that one an "if", or remove this one`);
    } else if (takesEvery(written[t.index]?.if, t.condition)) {
      takenBy.set(t.eventType, t.index);
    }
  }
}

/** A transition with a condition that never holds, however it is spelled (`when: false`, `if: "1 == 2"`). */
function neverFires(t: CompiledTransition): boolean {
  return (t.kind === 'on' || t.kind === 'when' || t.kind === 'immediate') && constantValue(t.condition) === false;
}

/** An immediate branch whose `if` always holds, however it is spelled (`if: true`, `if: "1 == 1"`). */
function isConstantBranch(t: CompiledTransition): boolean {
  return t.kind === 'immediate' && constantValue(t.condition) === true;
}

/** A `when` that always holds, however it is spelled (`when: true`, `"true"`, `"!false"`, `"1 == 1"`). */
function alwaysHolds(t: CompiledTransition): boolean {
  return t.kind === 'when' && constantValue(t.condition) === true;
}

/**
 * A transition's `id` names its edge in the graph (a split's branches
 * `<id>/0`, `<id>/1`...), which the console keys its edges by: two edges with
 * one id were drawn as one. Explicit ids only: a derived one (`<state>#<n>`)
 * has a `#`, which an explicit id cannot. Admitting only: a stored version
 * compiles as it was accepted.
 */
function checkTransitionIds(ctx: CompileContext, campaign: Campaign): void {
  /** Edge id → the `id` that gave it. */
  const claimed = new Map<string, string>();
  for (const [state, definition] of Object.entries(campaign.states)) {
    definition.transitions.forEach((t, index) => {
      if (t.id === undefined) return;
      const path = joinPath(transitionPath(state, index), 'id');
      const ids = [t.id, ...(t.split ?? []).map((_, i) => `${t.id}/${i}`)];
      const taken = ids.find((id) => claimed.has(id));
      if (taken === undefined) {
        for (const id of ids) claimed.set(id, path);
        return;
      }
      ctx.report(
        path,
        `id "${taken}" is already used by the transition at ${claimed.get(taken)}; transition ids name the graph's edges (a split's branches <id>/0, <id>/1...) and must be unique`,
      );
    });
  }
}

/**
 * Depth-first search over immediate edges only; a back edge is a loop that
 * would never wait. Returns whether it found one. Iterative: a chain may be
 * thousands of states long, deeper than the call stack goes.
 */
function checkImmediateLoops(ctx: CompileContext, graph: Graph): boolean {
  const color = new Map<string, 'open' | 'done'>();
  const reported = new Set<string>();
  const openPath: string[] = [];
  const frames: Array<{ state: string; edges: Array<[CompiledTransition, string]>; next: number }> = [];
  const open = (state: string) => {
    color.set(state, 'open');
    openPath.push(state);
    // A `when` that always holds fires on arrival as an immediate one does (admitting only: stored versions compile as accepted).
    const waitsForNothing = (t: CompiledTransition) => isImmediate(t) || (ctx.admitting && alwaysHolds(t));
    const edges = (graph.get(state) ?? []).filter(waitsForNothing).flatMap((t) => targetsOf(t).map((to): [CompiledTransition, string] => [t, to]));
    frames.push({ state, edges, next: 0 });
  };

  for (const root of graph.keys()) {
    if (color.has(root)) continue;
    open(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      if (frame.next === frame.edges.length) {
        frames.pop();
        openPath.pop();
        color.set(frame.state, 'done');
        continue;
      }
      const [t, to] = frame.edges[frame.next++];
      if (!graph.has(to)) continue;
      if (color.get(to) === 'open') {
        // Enough loops to act on: each costs its length to spell out, and a long chain has as many as its states.
        if (reported.size >= MAX_LISTED_LOOPS) continue;
        const loop = [...openPath.slice(openPath.indexOf(to)), to];
        const id = [...loop].sort().join('|');
        if (!reported.has(id)) {
          reported.add(id);
          ctx.report(
            transitionPath(frame.state, t.index),
            `loop of immediate transitions: ${loopText(loop)}; add a transition that waits (on, when, after, at) on the way`,
          );
        }
      } else if (!color.has(to)) {
        open(to);
      }
    }
  }
  return reported.size > 0;
}

/**
 * A loop through an `at` transition. An `at` waits only until its time: a
 * path that reaches its state after that fires it at once (machine/
 * state-timers.ts: "an `at` already past fires at once rather than never").
 * So once the time has passed, a loop whose other transitions wait for
 * nothing either (immediate ones, splits, `when`s that always hold, other
 * `at`s, past in their turn) goes round for ever: each lap is an input of
 * its own (a timer), out of reach of the 64 transitions one input may take,
 * and each lap runs the states' actions again (a reward, a message), under a
 * new key, since the state visit is part of it. A loop with a transition that
 * waits for something (`on`, a `when` that can be false, `after`) on the way
 * is bounded by what it waits for. Every edge of such a loop lies within one
 * strongly connected component of the edges that do not wait, whichever walk
 * finds it, so each `at` edge inside one is on a loop. Admitting only: a
 * stored version compiles as it was accepted (a running journey would need a
 * patched() marker to change how it fires).
 */
function checkAtLoops(ctx: CompileContext, campaign: Campaign, graph: Graph): void {
  if (![...graph.values()].some((transitions) => transitions.some((t) => t.kind === 'at'))) return;
  const goesOn = (t: CompiledTransition) => isImmediate(t) || alwaysHolds(t) || t.kind === 'at';
  const next = new Map([...graph].map(([state, transitions]) => [state, transitions.filter(goesOn).flatMap(targetsOf).filter((to) => graph.has(to))]));
  const component = strongComponents(next);
  const reported = new Set<string>();
  for (const [state, transitions] of graph) {
    for (const t of transitions) {
      if (t.kind !== 'at' || !graph.has(t.to) || component.get(t.to) !== component.get(state)) continue;
      // As for immediate loops: enough to act on (the campaign is refused anyway).
      if (reported.size >= MAX_LISTED_LOOPS) return;
      const loop = [state, ...(shortestWay(next, t.to, state) ?? [state])];
      const id = [...new Set(loop)].sort().join('|');
      if (reported.has(id)) continue;
      reported.add(id);
      const at = campaign.states[state]?.transitions[t.index]?.at ?? toIso(t.at);
      ctx.report(
        transitionPath(state, t.index),
        `loop through an \`at\`: ${loopText(loop)}; an \`at\` whose time has passed fires as soon as a path arrives, so once ${at} has passed a path that comes back to "${state}" goes round again at once, for ever, running the actions on the way on every lap: add a transition that waits (on, when, after) on the way`,
      );
    }
  }
}
