/**
 * A transition's trigger as the canvas's side panel edits it: one kind at a
 * time (CAMPAIGNS.md, "States and transitions"), read from and written to
 * the flat transition object the language uses. Changing the kind in the
 * panel drops the fields of the old kind, so a transition never carries two
 * triggers.
 */
import type { ConditionSource } from '../campaign/schema';
import type { TransitionInput } from './definition-edits';

export type Trigger =
  | { kind: 'event'; on: string; if?: ConditionSource }
  | { kind: 'when'; when: ConditionSource }
  | { kind: 'after'; after: string }
  | { kind: 'at'; at: string }
  | { kind: 'immediate'; if?: ConditionSource }
  | { kind: 'split'; branches: Array<{ to: string; weight: number }> };

export function triggerOf(t: TransitionInput): Trigger {
  if (t.split !== undefined) return { kind: 'split', branches: t.split.map((b) => ({ ...b })) };
  if (t.on !== undefined) return t.if !== undefined ? { kind: 'event', on: t.on, if: t.if } : { kind: 'event', on: t.on };
  if (t.when !== undefined) return { kind: 'when', when: t.when };
  if (t.after !== undefined) return { kind: 'after', after: t.after };
  if (t.at !== undefined) return { kind: 'at', at: t.at };
  return t.if !== undefined ? { kind: 'immediate', if: t.if } : { kind: 'immediate' };
}

/** The transition with this trigger; `to` is ignored for a split (its branches name their targets); `id` is kept. */
export function withTrigger(to: string | undefined, trigger: Trigger, id?: string): TransitionInput {
  const base: TransitionInput = id !== undefined ? { id } : {};
  switch (trigger.kind) {
    case 'split':
      return { ...base, split: trigger.branches.map((b) => ({ ...b })) };
    case 'event':
      return { ...base, to, on: trigger.on, ...(trigger.if !== undefined ? { if: trigger.if } : {}) };
    case 'when':
      return { ...base, to, when: trigger.when };
    case 'after':
      return { ...base, to, after: trigger.after };
    case 'at':
      return { ...base, to, at: trigger.at };
    case 'immediate':
      return { ...base, to, ...(trigger.if !== undefined ? { if: trigger.if } : {}) };
  }
}

/** Replaces only the trigger of a transition, keeping its target and id. */
export function setTrigger(t: TransitionInput, trigger: Trigger): TransitionInput {
  const to = t.to ?? (trigger.kind !== 'split' ? t.split?.[0]?.to : undefined);
  return withTrigger(to, trigger, t.id);
}

/** What a new trigger of each kind starts from when the panel cannot carry anything across. */
export interface KindDefaults {
  /** The target of a split's first branch. */
  to: string;
  /** The event type of an `event` trigger (the one it had before, when the panel remembers it). */
  on: string;
  /** The timestamp of an `at` trigger (the one it had before, when the panel remembers it). */
  at: string;
  /** The wait of an `after` trigger the panel remembers (P1D otherwise). */
  after?: string;
  /** The branches of a split the panel remembers (one to `to`, weight 50, otherwise). */
  branches?: Branch[];
  /** The condition of a `when` the panel remembers (a count of the event type otherwise). */
  when?: ConditionSource;
}

/** What each kind starts from when nothing is carried or remembered: dropping only this loses nothing. */
export const KIND_SEEDS = { after: 'P1D', weight: 50 } as const;
const seedWhen = (on: string) => `count('${on}') >= 1`;

const conditionOf = (t: Trigger): ConditionSource | undefined => (t.kind === 'when' ? t.when : t.kind === 'event' || t.kind === 'immediate' ? t.if : undefined);

/** A condition as its operator typed it, or its rows as JSON. */
const conditionWords = (c: ConditionSource) => (typeof c === 'string' ? c : JSON.stringify(c));

/** "a", "a and b", "a, b and c". */
const wordsList = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/**
 * What a trigger of kind `kind` cannot hold of `from`, in words ("the branch to b and the weights 90/10"); null when
 * nothing is lost. A kind's seed (a wait of P1D, one branch of weight 50, the `when` a switch made up) is not named:
 * switching back brings it.
 */
function lostWords(from: Trigger, kind: Trigger['kind'], defaults: KindDefaults): string | null {
  const words: string[] = [];
  const condition = conditionOf(from);
  const holdsCondition = kind === 'when' || kind === 'event' || kind === 'immediate';
  if (condition !== undefined && !holdsCondition && !(from.kind === 'when' && condition === seedWhen(defaults.on))) words.push(`the condition "${conditionWords(condition)}"`);
  if (from.kind === 'after' && from.after !== KIND_SEEDS.after) words.push(`the wait "${from.after}"`);
  if (from.kind === 'at') words.push(`the time "${from.at}"`);
  if (from.kind === 'split') {
    const others = from.branches.slice(1).map((b) => b.to);
    if (others.length > 0) words.push(`${others.length === 1 ? 'the branch' : 'the branches'} to ${wordsList(others)}`);
    if (from.branches.length > 1 || from.branches.some((b) => b.weight !== KIND_SEEDS.weight)) {
      words.push(`${from.branches.length === 1 ? 'the weight' : 'the weights'} ${from.branches.map((b) => b.weight).join('/')}`);
    }
  }
  return words.length === 0 ? null : wordsList(words);
}

/**
 * The trigger after the panel picks another kind. The condition carries
 * across wherever the new kind takes one (an event's or an immediate's `if`,
 * a `when`): an operator who typed one and tries another kind must not lose
 * it unasked. Nor anything else typed: `lost` names, in words, what the new
 * kind cannot hold (the condition for after, at and split; the wait of an
 * `after`; the time of an `at`; a split's other branches and its weights), for
 * the panel to name before switching; null when nothing is lost. An event
 * type is not named: the panel remembers it, as it does the other values
 * (`defaults`), which come back when their kind is picked again.
 */
export function changeKind(from: Trigger, kind: Trigger['kind'], defaults: KindDefaults): { trigger: Trigger; lost: string | null } {
  if (kind === from.kind) return { trigger: from, lost: null };
  const condition = conditionOf(from);
  const to = (trigger: Trigger) => ({ trigger, lost: lostWords(from, kind, defaults) });
  switch (kind) {
    case 'event':
      return to(condition !== undefined ? { kind, on: defaults.on, if: condition } : { kind, on: defaults.on });
    case 'immediate':
      return to(condition !== undefined ? { kind, if: condition } : { kind });
    case 'when':
      return to({ kind, when: condition ?? defaults.when ?? seedWhen(defaults.on) });
    case 'after':
      return to({ kind, after: defaults.after ?? KIND_SEEDS.after });
    case 'at':
      return to({ kind, at: defaults.at });
    case 'split':
      return to({ kind, branches: defaults.branches?.map((b) => ({ ...b })) ?? [{ to: defaults.to, weight: KIND_SEEDS.weight }] });
  }
}

export type Branch = { to: string; weight: number };

/**
 * A split with one more branch, to the first state no branch goes to yet
 * (a branch to a state another branch already takes is a split nobody
 * meant); null when every state has one already.
 */
export function withBranchAdded(branches: Branch[], states: string[], weight = 50): Branch[] | null {
  const free = states.find((s) => !branches.some((b) => b.to === s));
  return free === undefined ? null : [...branches, { to: free, weight }];
}

/** The split without branch `n`; null for its only branch (a split of none is no transition: delete the transition instead). */
export function withBranchRemoved(branches: Branch[], n: number): Branch[] | null {
  if (branches.length <= 1 || !Number.isInteger(n) || n < 0 || n >= branches.length) return null;
  return branches.filter((_, m) => m !== n);
}

/**
 * A weight as typed in its number field: a number, or null while the field
 * is empty (cleared to type another, or text the browser does not read as a
 * number yet). Null is not 0: it stays a draft instead of being written.
 */
export function weightOf(text: string): number | null {
  if (text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/**
 * A `when` trigger with the condition the builder gives; null when its last
 * row was removed. An empty `when` is not `true`: that would move everyone
 * in the state on at once, so the panel keeps it as a draft Save refuses.
 */
export function whenTrigger(condition: ConditionSource | undefined): Trigger | null {
  return condition === undefined ? null : { kind: 'when', when: condition };
}
