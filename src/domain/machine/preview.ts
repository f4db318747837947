/**
 * What an event would do for a user now, with nothing issued: the same `step`
 * the journey runs (DESIGN.md decision 1), on a copy of its state, with every
 * action assumed to succeed and all effects discarded. Except a reward the
 * ledger refuses whatever its pools hold (an amount above the most one reward
 * gives): that one is marked `refused`, and its path goes no further, as the
 * journey's would be held there.
 */
import type { CompiledPlan } from '../compiler';
import type { JourneyEvent } from '../event';
import type { Effect, ResolvedAction } from './effects';
import { rewardActionProblem } from '../rewards/amounts';
import { isDateMs } from '../date-range';
import { toEpochMs, type Instant } from '../time';
import { withoutCredentials } from '../url-credentials';
import { alreadyTakenOrCancelled, entersAfterEnd, seenByEndedJourney } from './after-end';
import { entryFacts, eventFacts, mergedProfile } from './facts';
import { beginRun } from './run';
import { initialJourneyState, type JourneyState } from './state';
import { step, type StepOptions } from './step';
import { candidateTrace, type TraceNote } from './trace';

export interface PreviewContext {
  userId: string;
  user: Record<string, unknown>;
  now: Instant;
  /** The journey's seed when there is no state yet; splits then choose as that journey would. */
  seed?: string;
  /** What the journey's patches switch on, so that a journey from before one previews as it runs (default: all on). */
  stepOptions?: StepOptions;
  /**
   * Set where an entry that reaches the journey after it ended, while its run still finishes its effects, begins
   * the user's next journey (patch entries-after-end): the preview answers as that journey would take it.
   * `refuseTaken`: an entry the ended journey took or saw cancelled is not kept for it (patch kept-entries-checked).
   * Absent: the ended journey ignores the event, as one from before the patch does.
   */
  afterEnd?: { refuseTaken: boolean };
}

export interface PreviewResult {
  entered: boolean;
  refusedBecause?: string;
  transitions: Array<{ pathId: string; from: string | null; to: string; cause: string }>;
  /** `refused`: why the ledger would refuse it (the journey would hold the step). */
  rewards: Array<{ stepId: string; action: ResolvedAction; idempotencyKey: string; refused?: string }>;
  /** `notBefore`: the message would wait out quiet hours until then (and hold what comes after it in its group and state). */
  messages: Array<{ stepId: string; action: ResolvedAction; notBefore?: string }>;
  /** Webhook steps, each with its URL and body as they would be POSTed (credentials in the URL masked). */
  webhooks: Array<{ stepId: string; action: ResolvedAction }>;
  /** Decision notes, as in the journey's trace. */
  notes: string[];
  /**
   * The parts of conditions that did not hold, with the values they saw (as
   * the support desk's trace shows them): `entry.if` and `audience` when the
   * event could start a journey and did not, and each transition that was
   * checked and did not fire (`state` and `pathId` say whose).
   */
  conditions: ConditionCheck[];
}

export interface ConditionCheck {
  /** `entry.if`, `audience`, or the transition as the trace names it (`→ rewarded when ...`). */
  where: string;
  state?: string;
  pathId?: string;
  /** The failed comparison, e.g. `event.amount >= 20`. */
  text: string;
  /** Each operand as it was read, e.g. `{ "event.amount": "5" }`. */
  values: Record<string, string>;
}

/** Each action's success leads to the next; a bound keeps a strange plan from looping. */
const MAX_ROUNDS = 50;

export function preview(plan: CompiledPlan, state: JourneyState | null, event: JourneyEvent, context: PreviewContext): PreviewResult {
  if (state?.status === 'ended' && context.afterEnd) {
    const next = previewOfNextJourney(plan, state, event, context, context.afterEnd);
    if (next) return next;
  }
  const start = state ?? initialJourneyState(plan, { campaignKey: plan.key, userId: context.userId, seed: context.seed ?? `${plan.key}:${context.userId}` });
  // A signal delivery (event.delivery) is no entry, as the journey takes it (signal-inputs.ts).
  const { delivery, ...plain } = event;
  const first = step(plan, start, { version: 1, kind: 'event', event: plain, user: context.user, now: context.now, ...(delivery === 'signal' ? { signalOnly: true } : {}) }, context.stepOptions);
  const effects: Effect[] = [...first.effects];
  const notes = first.trace.notes;
  let current = first.state;
  let pending: Effect[] = first.effects.filter((e) => e.kind === 'runAction');
  for (let round = 0; round < MAX_ROUNDS && pending.length > 0; round++) {
    const next: Effect[] = [];
    for (const action of pending) {
      if (action.kind !== 'runAction' || ledgerRefusal(action.action) !== null) continue;
      const r = step(plan, current, {
        version: 1,
        kind: 'actionOutcome',
        pathId: action.pathId,
        stepId: action.stepId,
        outcome: 'succeeded',
        result: { preview: true },
        now: context.now,
      }, context.stepOptions);
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
    webhooks: [],
    notes: notes.map((n) => (n.pathId ? `${n.pathId}: ${n.message}` : n.message)),
    conditions: [],
  };
  if (!result.entered && refused && (refused.kind === 'refused' || start.paths.length === 0)) result.refusedBecause = refused.message;
  if (!result.entered) result.conditions.push(...entryChecks(plan, start, event, context));
  result.conditions.push(...transitionChecks(notes, [start, current]));
  for (const e of effects) {
    if (e.kind === 'recordTransition') result.transitions.push({ pathId: e.pathId, from: e.from, to: e.to, cause: e.cause });
    if (e.kind === 'runAction' && e.action.type === 'message') {
      result.messages.push(e.notBefore ? { stepId: e.stepId, action: e.action, notBefore: e.notBefore } : { stepId: e.stepId, action: e.action });
    } else if (e.kind === 'runAction' && e.action.type === 'webhook') {
      // Versions stored before credentials in webhook URLs were refused still run: support sees them masked.
      result.webhooks.push({ stepId: e.stepId, action: { ...e.action, url: withoutCredentials(e.action.url) } });
    } else if (e.kind === 'runAction') {
      const refused = ledgerRefusal(e.action);
      result.rewards.push({ stepId: e.stepId, action: e.action, idempotencyKey: e.idempotencyKey, ...(refused ? { refused } : {}) });
      if (refused) result.notes.push(`${e.pathId}: ${e.stepId} would be held: ${refused}`);
    }
  }
  return result;
}

/**
 * The time a query of the journey previews at: the caller's clock (epoch ms), else the journey's. A query sees the
 * time of the journey's last workflow task, which for a journey that waits can be days old; a caller's clock behind
 * that task is not taken, so nothing is judged before what the journey already recorded.
 */
export function previewTime(asked: unknown, journeyNow: number): number {
  return typeof asked === 'number' && isDateMs(asked) ? Math.max(asked, journeyNow) : journeyNow;
}

/**
 * An entry reaching a journey that ended and still finishes its effects begins the user's next journey
 * (JourneyShell keeps it for that one): previewed as that journey's first entry, from the state it begins with
 * (the ended one's entries, and the ids it passes on). Null when the event begins no next journey.
 */
function previewOfNextJourney(plan: CompiledPlan, ended: JourneyState, event: JourneyEvent, context: PreviewContext, afterEnd: { refuseTaken: boolean }): PreviewResult | null {
  const { delivery, ...plain } = event;
  const input = { version: 1 as const, kind: 'event' as const, event: plain, ...(delivery === 'signal' ? { signalOnly: true } : {}) };
  if (!entersAfterEnd(plan, ended, input)) return null;
  const ending = `the journey ended (${ended.endReason ?? 'ended'}) and still finishes its effects`;
  if (afterEnd.refuseTaken && alreadyTakenOrCancelled(ended, input)) {
    const why = `ignored: event ${event.id} was already received: ${ending}, and the event begins no next journey`;
    return { entered: false, refusedBecause: why, transitions: [], rewards: [], messages: [], webhooks: [], notes: [why], conditions: [] };
  }
  const passedOn = seenByEndedJourney(ended, [input]);
  const next: JourneyState = {
    ...initialJourneyState(plan, { campaignKey: ended.campaignKey, userId: ended.userId, seed: ended.seed }),
    entries: ended.entries,
    entryTimes: ended.entryTimes,
    seenEventIds: passedOn.seenEventIds,
    cancelledEventIds: passedOn.cancelledEventIds,
  };
  // The next journey runs on the newest code: every step option on.
  const result = preview(plan, next, event, { ...context, stepOptions: undefined, afterEnd: undefined });
  return { ...result, notes: [`${ending}: this event begins the user's next journey, previewed as its first entry`, ...result.notes] };
}

/** Why the ledger would refuse this reward whatever its pools hold, or null (messages and webhooks: null). */
function ledgerRefusal(action: ResolvedAction): string | null {
  if (action.type !== 'coupon' && action.type !== 'points' && action.type !== 'credit') return null;
  return rewardActionProblem(action)?.message ?? null;
}

/** Why the event would not start a journey, part by part: the entry condition, then the audience (the order the machine checks them). */
function entryChecks(plan: CompiledPlan, start: JourneyState, event: JourneyEvent, context: PreviewContext): ConditionCheck[] {
  if (!plan.entryTypes.includes(event.type)) return [];
  const run = beginRun(plan, start, toEpochMs(context.now));
  run.state.user = mergedProfile(context.user, event);
  const facts = entryFacts(run, eventFacts(event));
  const out: ConditionCheck[] = [];
  for (const [where, condition] of [['entry.if', plan.entry.condition], ['audience', plan.audience]] as const) {
    if (!condition || condition.evaluate(facts)) continue;
    for (const f of candidateTrace(where, condition.explain(facts), false).failed) out.push({ where, text: f.text, values: f.values });
  }
  return out;
}

/** The transitions checked and not fired, from the trace's noTransition notes. */
function transitionChecks(notes: readonly TraceNote[], states: readonly JourneyState[]): ConditionCheck[] {
  const out: ConditionCheck[] = [];
  for (const n of notes) {
    if (n.kind !== 'noTransition') continue;
    // The path's state before the event, or (a path the event started) after it.
    const state = states.map((s) => s.paths.find((p) => p.pathId === n.pathId)?.state).find((x) => x !== undefined);
    for (const c of n.candidates ?? []) {
      for (const f of c.failed) out.push({ where: c.transition, ...(state ? { state } : {}), ...(n.pathId ? { pathId: n.pathId } : {}), text: f.text, values: f.values });
    }
  }
  return out;
}
