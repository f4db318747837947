/**
 * What an event would do for a user now, with nothing issued: the same `step`
 * the journey runs (DESIGN.md decision 1), on a copy of its state, with every
 * action assumed to succeed and all effects discarded.
 */
import type { CompiledPlan } from '../compiler';
import type { JourneyEvent } from '../event';
import type { Effect, ResolvedAction } from './effects';
import type { Instant } from '../time';
import { initialJourneyState, type JourneyState } from './state';
import { step } from './step';

export interface PreviewContext {
  userId: string;
  user: Record<string, unknown>;
  now: Instant;
  /** The journey's seed when there is no state yet; splits then choose as that journey would. */
  seed?: string;
}

export interface PreviewResult {
  entered: boolean;
  refusedBecause?: string;
  transitions: Array<{ pathId: string; from: string | null; to: string; cause: string }>;
  rewards: Array<{ stepId: string; action: ResolvedAction; idempotencyKey: string }>;
  messages: Array<{ stepId: string; action: ResolvedAction; notBefore?: string }>;
  /** Decision notes, as in the journey's trace. */
  notes: string[];
}

/** Each action's success leads to the next; a bound keeps a strange plan from looping. */
const MAX_ROUNDS = 50;

export function preview(plan: CompiledPlan, state: JourneyState | null, event: JourneyEvent, context: PreviewContext): PreviewResult {
  const start = state ?? initialJourneyState(plan, { campaignKey: plan.key, userId: context.userId, seed: context.seed ?? `${plan.key}:${context.userId}` });
  const first = step(plan, start, { version: 1, kind: 'event', event, user: context.user, now: context.now });
  const effects: Effect[] = [...first.effects];
  const notes = first.trace.notes;
  let current = first.state;
  let pending: Effect[] = first.effects.filter((e) => e.kind === 'runAction');
  for (let round = 0; round < MAX_ROUNDS && pending.length > 0; round++) {
    const next: Effect[] = [];
    for (const action of pending) {
      if (action.kind !== 'runAction') continue;
      const r = step(plan, current, {
        version: 1,
        kind: 'actionOutcome',
        pathId: action.pathId,
        stepId: action.stepId,
        outcome: 'succeeded',
        result: { preview: true },
        now: context.now,
      });
      current = r.state;
      effects.push(...r.effects);
      notes.push(...r.trace.notes);
      next.push(...r.effects.filter((e) => e.kind === 'runAction'));
    }
    pending = next;
  }

  const refused = first.trace.notes.find((n) => n.kind === 'refused' || n.kind === 'ignored');
  const result: PreviewResult = {
    entered: first.trace.notes.some((n) => n.kind === 'entered'),
    transitions: [],
    rewards: [],
    messages: [],
    notes: notes.map((n) => (n.pathId ? `${n.pathId}: ${n.message}` : n.message)),
  };
  if (!result.entered && refused && (refused.kind === 'refused' || start.paths.length === 0)) result.refusedBecause = refused.message;
  for (const e of effects) {
    if (e.kind === 'recordTransition') result.transitions.push({ pathId: e.pathId, from: e.from, to: e.to, cause: e.cause });
    if (e.kind === 'runAction' && e.action.type === 'message') {
      result.messages.push(e.notBefore ? { stepId: e.stepId, action: e.action, notBefore: e.notBefore } : { stepId: e.stepId, action: e.action });
    } else if (e.kind === 'runAction' && e.action.type !== 'webhook') {
      result.rewards.push({ stepId: e.stepId, action: e.action, idempotencyKey: e.idempotencyKey });
    }
  }
  return result;
}
