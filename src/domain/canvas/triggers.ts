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
  /** The timestamp of an `at` trigger. */
  at: string;
}

const conditionOf = (t: Trigger): ConditionSource | undefined => (t.kind === 'when' ? t.when : t.kind === 'event' || t.kind === 'immediate' ? t.if : undefined);

/**
 * The trigger after the panel picks another kind. The condition carries
 * across wherever the new kind takes one (an event's or an immediate's `if`,
 * a `when`): an operator who typed one and tries another kind must not lose
 * it unasked. `dropped` is the condition the new kind cannot hold (after, at,
 * split), for the panel to name before dropping it; null when nothing is lost.
 */
export function changeKind(from: Trigger, kind: Trigger['kind'], defaults: KindDefaults): { trigger: Trigger; dropped: ConditionSource | null } {
  const condition = conditionOf(from);
  const kept = (trigger: Trigger) => ({ trigger, dropped: null });
  const lost = (trigger: Trigger) => ({ trigger, dropped: condition ?? null });
  if (kind === from.kind) return kept(from);
  switch (kind) {
    case 'event':
      return kept(condition !== undefined ? { kind, on: defaults.on, if: condition } : { kind, on: defaults.on });
    case 'immediate':
      return kept(condition !== undefined ? { kind, if: condition } : { kind });
    case 'when':
      return kept({ kind, when: condition ?? `count('${defaults.on}') >= 1` });
    case 'after':
      return lost({ kind, after: 'P1D' });
    case 'at':
      return lost({ kind, at: defaults.at });
    case 'split':
      return lost({ kind, branches: [{ to: defaults.to, weight: 50 }] });
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
