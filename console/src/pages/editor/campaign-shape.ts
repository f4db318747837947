/**
 * Whether a value typed in the JSON or YAML tab has the shape the canvas
 * draws from, or the first place it does not. Text is parsed on every
 * keystroke, so it passes through shapes no campaign has: `reminder:` is a
 * state that is null until its fields are typed, `{}` has no states at all.
 * Such a value must not become the campaign (the canvas, its side panels and
 * the undo history read it as a campaign's shape, and one that throws while
 * drawing took the whole editor, and its unsaved draft, down), so the tabs
 * keep it as text that does not parse yet, with this message. Only the
 * shape is checked: every value inside it is the compiler's to judge. Pure.
 */
import { joinPath } from '../../../../src/domain/issues';
import { isObject } from '../../../../src/domain/is-object';

/** How the notation names a group of named fields and a list: `an object`/`an array` in JSON, `a mapping`/`a list` in YAML. */
export interface ShapeWords {
  object: string;
  list: string;
}

export const JSON_WORDS: ShapeWords = { object: 'an object', list: 'an array' };
export const YAML_WORDS: ShapeWords = { object: 'a mapping', list: 'a list' };

export interface ShapeProblem {
  /** In the compiler's notation (`states.a.transitions[0]`), so the YAML tab can say its line. */
  path: string;
  message: string;
}

const problem = (path: string, message: string): ShapeProblem => ({ path, message: `${path}: ${message}` });

/** `campaign` is already known to be an object (each tab says so in its own words). */
export function shapeProblem(campaign: Record<string, unknown>, words: ShapeWords): ShapeProblem | null {
  for (const field of ['key', 'name']) {
    if (campaign[field] !== undefined && typeof campaign[field] !== 'string') return problem(field, 'should be text');
  }
  if (campaign.entry !== undefined && !isObject(campaign.entry)) return problem('entry', `should be ${words.object} (its on, or its cron)`);
  const exits = listOfObjects(campaign.exitOn, 'exitOn', 'exit rules', (o) => `an exit rule is ${o} (its on, and an if)`, words);
  if (exits) return exits;
  if (campaign.states === undefined) return problem('states', `missing: a campaign's states are ${words.object}, each state under its name`);
  if (!isObject(campaign.states)) return problem('states', `should be ${words.object}, each state under its name`);
  for (const [name, state] of Object.entries(campaign.states)) {
    const at = joinPath('states', name);
    const found = stateProblem(state, at, words);
    if (found) return found;
  }
  return null;
}

function stateProblem(state: unknown, at: string, words: ShapeWords): ShapeProblem | null {
  if (!isObject(state)) return problem(at, `a state is ${words.object} of its fields (transitions, actions, end), or {} while it has none`);
  const transitions = listOfObjects(state.transitions, joinPath(at, 'transitions'), 'transitions', (o) => `a transition is ${o} (its to and its trigger)`, words);
  if (transitions) return transitions;
  for (const [index, t] of ((state.transitions as Array<Record<string, unknown>> | undefined) ?? []).entries()) {
    const branches = listOfObjects(t.split, joinPath(joinPath(joinPath(at, 'transitions'), index), 'split'), 'branches', (o) => `a branch is ${o} (its to and weight)`, words);
    if (branches) return branches;
  }
  if (state.actions === undefined) return null;
  const actions = joinPath(at, 'actions');
  if (!isObject(state.actions)) return problem(actions, `should be ${words.object} with its steps`);
  return stepsProblem(state.actions.steps, joinPath(actions, 'steps'), true, words);
}

/** A group's steps: a list of steps, each an action or a group with steps of its own. */
function stepsProblem(steps: unknown, at: string, required: boolean, words: ShapeWords): ShapeProblem | null {
  if (steps === undefined && !required) return null;
  const list = listOfObjects(steps, at, 'steps', (o) => `a step is ${o} (an action's type and fields, or a group's steps)`, words, required);
  if (list) return list;
  for (const [index, step] of (steps as Array<Record<string, unknown>>).entries()) {
    const nested = stepsProblem(step.steps, joinPath(joinPath(at, index), 'steps'), false, words);
    if (nested) return nested;
  }
  return null;
}

/** A list whose items are each an object, or absent unless `required`; `item` says what one item is, given the notation's word for an object. */
function listOfObjects(value: unknown, at: string, plural: string, item: (object: string) => string, words: ShapeWords, required = false): ShapeProblem | null {
  if (value === undefined && !required) return null;
  if (!Array.isArray(value)) return problem(at, `should be ${words.list} of ${plural}`);
  const index = value.findIndex((x) => !isObject(x));
  return index === -1 ? null : problem(joinPath(at, index), item(words.object));
}
