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
