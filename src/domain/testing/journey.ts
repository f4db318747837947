/**
 * A journey driven by hand, for tests: it keeps the state, a clock, every
 * effect so far, and the timers and actions the workflow would be running.
 */
import { compileCampaign, type CompiledPlan } from '../compiler';
import type { ActionOutcome, Effect, JourneyInput, JourneyState, RunAction, StepOptions, StepResult } from '../machine';
import { initialJourneyState, step } from '../machine';
import type { JourneyEvent } from '../event';

export function compiled(campaign: unknown): CompiledPlan {
  const result = compileCampaign(campaign);
  if (!result.ok) throw new Error(`campaign does not compile: ${JSON.stringify(result.issues)}`);
  return result.value;
}

export class TestJourney {
  state: JourneyState;
  readonly effects: Effect[] = [];
  last!: StepResult;
  now: number;
  user: Record<string, unknown>;
  private nextId = 1;
  private readonly stepOptions: StepOptions;

  constructor(
    readonly plan: CompiledPlan,
    opts: { userId?: string; seed?: string; now?: string; user?: Record<string, unknown>; stepOptions?: StepOptions } = {},
  ) {
    this.stepOptions = opts.stepOptions ?? {};
    this.state = initialJourneyState(plan, { campaignKey: plan.key, userId: opts.userId ?? 'u-1', seed: opts.seed ?? 'seed-1' });
    this.now = new Date(opts.now ?? '2026-11-21T10:00:00Z').getTime();
    this.user = opts.user ?? {};
  }

  apply(input: JourneyInput): StepResult {
    this.last = step(this.plan, this.state, input, this.stepOptions);
    this.state = this.last.state;
    this.effects.push(...this.last.effects);
    return this.last;
  }

  /** Moves the clock forward by seconds. */
  wait(seconds: number): this {
    this.now += seconds * 1000;
    return this;
  }

  /** `receivedAt`: when Kairos accepted it, as events carry it since patch entry-window-by-receipt. */
  event(type: string, properties: Record<string, unknown> = {}, opts: { id?: string; receivedAt?: string } = {}): StepResult {
    const event: JourneyEvent = {
      version: 1,
      id: opts.id ?? `ev-${this.nextId++}`,
      type,
      userId: this.state.userId,
      occurredAt: new Date(this.now).toISOString(),
      properties,
      ...(opts.receivedAt ? { receivedAt: opts.receivedAt } : {}),
    };
    return this.apply({ version: 1, kind: 'event', event, user: this.user, now: this.now });
  }

  /** Timers started and not cancelled, not fired yet. */
  pendingTimers(): Array<{ timerId: string; fireAt: string; summary: string }> {
    const live = new Map<string, { timerId: string; fireAt: string; summary: string }>();
    for (const e of this.effects) {
      if (e.kind === 'startTimer') live.set(e.timerId, e);
      if (e.kind === 'cancelTimer') live.delete(e.timerId);
    }
    for (const id of this.fired) live.delete(id);
    return [...live.values()];
  }

  private readonly fired = new Set<string>();

  /** Fires every pending timer due by the clock, in time order. */
  fireDueTimers(): StepResult[] {
    const results: StepResult[] = [];
    for (;;) {
      const due = this.pendingTimers()
        .filter((t) => new Date(t.fireAt).getTime() <= this.now)
        .sort((a, b) => a.fireAt.localeCompare(b.fireAt))[0];
      if (!due) return results;
      this.fired.add(due.timerId);
      results.push(this.apply({ version: 1, kind: 'timer', timerId: due.timerId, now: this.now }));
    }
  }

  /** Actions started whose outcome has not been fed back yet. */
  runningActions(): RunAction[] {
    return this.state.paths.flatMap((p) =>
      this.effects.filter((e): e is RunAction => e.kind === 'runAction' && e.pathId === p.pathId && p.steps[e.stepId] === 'running'),
    );
  }

  outcome(stepId: string, outcome: ActionOutcome, result?: unknown): StepResult {
    const action = [...this.effects].reverse().find((e): e is RunAction => e.kind === 'runAction' && e.stepId === stepId);
    if (!action) throw new Error(`no action ${stepId} was started`);
    return this.apply({ version: 1, kind: 'actionOutcome', pathId: action.pathId, stepId, outcome, result, now: this.now });
  }

  /** Feeds `succeeded` to every running action until none is left. */
  succeedAll(): void {
    for (let i = 0; i < 50; i++) {
      const running = this.runningActions();
      if (running.length === 0) return;
      for (const a of running) this.outcome(a.stepId, 'succeeded', { rewardId: `r-${a.stepId}` });
    }
  }

  cancel(eventId: string, reason?: string): StepResult {
    return this.apply({ version: 1, kind: 'cancelEvent', eventId, now: this.now, ...(reason !== undefined ? { reason } : {}) });
  }

  exit(reason: string): StepResult {
    return this.apply({ version: 1, kind: 'exit', reason, now: this.now });
  }

  campaignArchived(): StepResult {
    return this.apply({ version: 1, kind: 'campaignArchived', now: this.now });
  }

  currentStates(): string[] {
    return this.state.paths.map((p) => p.state);
  }

  lastEffects<K extends Effect['kind']>(kind: K): Array<Extract<Effect, { kind: K }>> {
    return this.last.effects.filter((e): e is Extract<Effect, { kind: K }> => e.kind === kind);
  }

  all<K extends Effect['kind']>(kind: K): Array<Extract<Effect, { kind: K }>> {
    return this.effects.filter((e): e is Extract<Effect, { kind: K }> => e.kind === kind);
  }

  notes(): string[] {
    return this.last.trace.notes.map((n) => `${n.kind}: ${n.message}`);
  }
}
