/**
 * The canvas's editing moves over a campaign definition (CAMPAIGNS.md), as
 * pure functions: each takes a definition and returns a new one (the input
 * is never changed, untouched parts are shared, so undo history is cheap) or
 * the problems at their paths. They keep the definition's references sound
 * (a renamed state is renamed wherever a transition or `initial` names it; a
 * deleted state takes the transitions into it along), and leave deeper
 * judgement (reachability, conditions) to the compiler, whose answer the
 * canvas shows through issue-targets.ts.
 */
import type { z } from 'zod';
import { StateName, type ActionGroup, type CampaignInput, type State, type Transition } from '../campaign/schema';
import { reservedNameProblem } from '../compiler/reserved-names';
import { fail, joinPath, ok, type Result } from '../issues';

export type StateInput = z.input<typeof State>;
export type TransitionInput = z.input<typeof Transition>;
type States = Record<string, StateInput>;

/** The campaign-wide fields the side panels edit. */
export type CampaignField = 'name' | 'description' | 'audience' | 'entry' | 'participation' | 'exitOn' | 'schedule';

const statePath = (name: string) => joinPath('states', name);
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function withStates(def: CampaignInput, states: States): CampaignInput {
  return { ...def, states };
}

/** How long a refused name may be quoted in full; longer ones are cut, so the sentence stays readable. */
const QUOTED_MAX = 40;

/** The schema's refusal of a state name as a sentence for the person typing it (not zod's "Too big: expected string ..."). */
function checkName(name: string, path: string): Result<string> {
  // Refused here as when saving, before it reaches the canvas: graph code keyed by such a name read a built-in member.
  const reserved = reservedNameProblem(name, 'a state name');
  if (reserved) return fail([{ path, message: reserved }]);
  const parsed = StateName.safeParse(name);
  if (parsed.success) return ok(name);
  const issue = parsed.error.issues[0];
  if (name.length === 0) return fail([{ path, message: 'give the state a name: letters, digits and . _ -' }]);
  const quoted = name.length > QUOTED_MAX ? `"${name.slice(0, QUOTED_MAX)}…"` : `"${name}"`;
  const why = issue.code === 'too_big' ? `a state name is at most ${String(issue.maximum)} characters, and this one has ${name.length}` : issue.message;
  return fail([{ path, message: `${quoted} is not a state name: ${why}` }]);
}

function existing(def: CampaignInput, name: string): Result<StateInput> {
  return hasOwn(def.states, name) ? ok(def.states[name]) : fail([{ path: statePath(name), message: `there is no state ${name}` }]);
}

function replaceState(def: CampaignInput, name: string, change: (s: StateInput) => StateInput): Result<CampaignInput> {
  const state = existing(def, name);
  if (!state.ok) return state;
  return ok(withStates(def, { ...def.states, [name]: change(state.value) }));
}

export function addState(def: CampaignInput, name: string, state: StateInput = { transitions: [] }): Result<CampaignInput> {
  const checked = checkName(name, statePath(name));
  if (!checked.ok) return checked;
  if (hasOwn(def.states, name)) return fail([{ path: statePath(name), message: `a state ${name} already exists` }]);
  return ok(withStates(def, { ...def.states, [name]: state }));
}

/** Renames a state in place (its position among the states is kept) and every reference to it. */
export function renameState(def: CampaignInput, from: string, to: string): Result<CampaignInput> {
  const found = existing(def, from);
  if (!found.ok) return found;
  if (from === to) return ok(def);
  const checked = checkName(to, statePath(from));
  if (!checked.ok) return checked;
  if (hasOwn(def.states, to)) return fail([{ path: statePath(from), message: `a state ${to} already exists` }]);
  const rename = (name: string) => (name === from ? to : name);
  const states: States = {};
  for (const [name, state] of Object.entries(def.states)) states[rename(name)] = retarget(state, rename);
  return ok({ ...withStates(def, states), initial: rename(def.initial) });
}

function retarget(state: StateInput, rename: (name: string) => string): StateInput {
  if (!state.transitions?.some((t) => (t.to !== undefined && rename(t.to) !== t.to) || t.split?.some((b) => rename(b.to) !== b.to))) return state;
  return {
    ...state,
    transitions: state.transitions.map((t) => ({
      ...t,
      ...(t.to !== undefined ? { to: rename(t.to) } : {}),
      ...(t.split !== undefined ? { split: t.split.map((b) => ({ ...b, to: rename(b.to) })) } : {}),
    })),
  };
}

/**
 * Deletes a state and every transition into it (a split loses that branch,
 * and goes when it has none left). The initial state cannot go: the canvas
 * asks for another initial state first.
 */
export function deleteState(def: CampaignInput, name: string): Result<CampaignInput> {
  const found = existing(def, name);
  if (!found.ok) return found;
  if (def.initial === name) return fail([{ path: 'initial', message: `${name} is the initial state; make another state initial before deleting it` }]);
  const states: States = {};
  for (const [other, state] of Object.entries(def.states)) {
    if (other === name) continue;
    states[other] = dropTransitionsInto(state, name);
  }
  return ok(withStates(def, states));
}

/**
 * The other states with a transition (or a split branch) into `name`, in
 * definition order: deleteState takes those along, so the editor says so
 * before the operator deletes.
 */
export function statesLeadingInto(def: CampaignInput, name: string): string[] {
  return Object.entries(def.states)
    .filter(([other, state]) => other !== name && (state.transitions ?? []).some((t) => transitionTargets(t).includes(name)))
    .map(([other]) => other);
}

function dropTransitionsInto(state: StateInput, target: string): StateInput {
  const transitions = state.transitions;
  if (!transitions?.some((t) => t.to === target || t.split?.some((b) => b.to === target))) return state;
  const kept: TransitionInput[] = [];
  for (const t of transitions) {
    if (t.to === target) continue;
    if (t.split !== undefined) {
      const branches = t.split.filter((b) => b.to !== target);
      if (branches.length > 0) kept.push({ ...t, split: branches });
      continue;
    }
    kept.push(t);
  }
  return { ...state, transitions: kept };
}

function transitionTargets(t: TransitionInput): string[] {
  return t.split !== undefined ? t.split.map((b) => b.to) : t.to !== undefined ? [t.to] : [];
}

function checkTargets(def: CampaignInput, t: TransitionInput, path: string): Result<TransitionInput> {
  const missing = transitionTargets(t).filter((to) => !hasOwn(def.states, to));
  if (missing.length > 0) return fail(missing.map((to) => ({ path, message: `there is no state ${to} to go to` })));
  return ok(t);
}

const transitionPath = (state: string, index: number) => joinPath(joinPath(statePath(state), 'transitions'), index);

/** Adds a transition out of `from` (at `index`, default last: transitions are checked in order). */
export function addTransition(def: CampaignInput, from: string, transition: TransitionInput, index?: number): Result<CampaignInput> {
  const found = existing(def, from);
  if (!found.ok) return found;
  const list = found.value.transitions ?? [];
  const at = index === undefined ? list.length : index;
  if (!Number.isInteger(at) || at < 0 || at > list.length) return fail([{ path: transitionPath(from, at), message: `no place ${at} among ${list.length} transitions` }]);
  const checked = checkTargets(def, transition, transitionPath(from, at));
  if (!checked.ok) return checked;
  return replaceState(def, from, (s) => ({ ...s, transitions: [...list.slice(0, at), transition, ...list.slice(at)] }));
}

function withTransitions(def: CampaignInput, from: string, index: number, change: (list: TransitionInput[]) => Result<TransitionInput[]>): Result<CampaignInput> {
  const found = existing(def, from);
  if (!found.ok) return found;
  const list = found.value.transitions ?? [];
  if (!Number.isInteger(index) || index < 0 || index >= list.length) return fail([{ path: transitionPath(from, index), message: `${from} has no transition ${index}` }]);
  const changed = change(list);
  if (!changed.ok) return changed;
  return replaceState(def, from, (s) => ({ ...s, transitions: changed.value }));
}

/** Replaces a transition: its target or its trigger (`on`+`if`, `when`, `after`, `at`, `split`, or none). */
export function updateTransition(def: CampaignInput, from: string, index: number, transition: TransitionInput): Result<CampaignInput> {
  return withTransitions(def, from, index, (list) => {
    const checked = checkTargets(def, transition, transitionPath(from, index));
    return checked.ok ? ok(list.map((t, i) => (i === index ? transition : t))) : checked;
  });
}

export function removeTransition(def: CampaignInput, from: string, index: number): Result<CampaignInput> {
  return withTransitions(def, from, index, (list) => ok(list.filter((_, i) => i !== index)));
}

/** Moves a transition to another place in its state's order (the first that fires wins). */
export function moveTransition(def: CampaignInput, from: string, index: number, toIndex: number): Result<CampaignInput> {
  return withTransitions(def, from, index, (list) => {
    if (!Number.isInteger(toIndex) || toIndex < 0 || toIndex >= list.length) return fail([{ path: transitionPath(from, toIndex), message: `no place ${toIndex} among ${list.length} transitions` }]);
    const rest = list.filter((_, i) => i !== index);
    return ok([...rest.slice(0, toIndex), list[index], ...rest.slice(toIndex)]);
  });
}

/** Sets (or, with undefined, removes) the actions a state runs on entry. */
export function setActions(def: CampaignInput, state: string, actions: ActionGroup | undefined): Result<CampaignInput> {
  return replaceState(def, state, (s) => {
    const { actions: _old, ...rest } = s;
    return actions === undefined ? rest : { ...rest, actions };
  });
}

/** Marks a state as an end state or not. Its transitions stay: the compiler says whether they still make sense. */
export function setEnd(def: CampaignInput, state: string, end: boolean): Result<CampaignInput> {
  return replaceState(def, state, (s) => {
    const { end: _old, ...rest } = s;
    return end ? { ...rest, end: true } : rest;
  });
}

export function setInitial(def: CampaignInput, state: string): Result<CampaignInput> {
  const found = existing(def, state);
  return found.ok ? ok({ ...def, initial: state }) : found;
}

/** Sets (or, with undefined, removes) one campaign-wide field; the compiler checks the value. */
export function setCampaignField<F extends CampaignField>(def: CampaignInput, field: F, value: CampaignInput[F] | undefined): CampaignInput {
  const { [field]: _old, ...rest } = def;
  return (value === undefined ? rest : { ...rest, [field]: value }) as CampaignInput;
}
