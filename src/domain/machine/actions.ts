/**
 * Running a state's action group. The machine never waits: it starts what may
 * run now (one `runAction` effect per step), records the step as running, and
 * decides what comes next when the workflow feeds back each step's outcome.
 *
 * - parallel: every step at once; done when all are done.
 * - serial: one at a time in order; a step that fails for good stops the rest.
 * - priority: one at a time in order; the first success stops the rest
 *   (a false `if`, an exhausted pool or a not-eligible user count as not succeeded).
 */
import type { CompiledAction, CompiledAmount, CompiledGroup, CompiledStep } from '../compiler';
import { isReward } from '../compiler/plan';
import type { CompiledCondition, FactContext } from '../conditions';
import { amountProblem, roundedAmount } from '../rewards/amounts';
import { jsonBytes } from '../json-size';
import { toIso } from '../time';
import { withoutCredentials } from '../url-credentials';
import type { ResolvedAction, RunAction } from './effects';
import { arrivalFacts } from './facts';
import { quietHoursEnd } from './quiet-hours';
import { joinKeyParts } from './key-parts';
import { emit, note, type Run } from './run';
import { LIMITS, pushBounded, pushRewardBounded, withinRewardBudget, type PathState, type RewardRecord, type StepStatus } from './state';
import { short } from './trace';

type Outcome = 'succeeded' | 'failed' | 'skipped';

/** Starts whatever may run now; 'done' when the state's group has finished. */
export function advanceActions(run: Run, path: PathState): 'running' | 'done' {
  const group = run.plan.states[path.state]?.actions ?? null;
  if (group === null || advance(run, path, group) !== 'running') path.actionsDone = true;
  return path.actionsDone ? 'done' : 'running';
}

function advance(run: Run, path: PathState, node: CompiledStep): Outcome | 'running' {
  const status = path.steps[node.stepId];
  if (status !== undefined && status !== 'running') return outcomeOf(status);
  if (node.kind === 'action') return status === 'running' ? 'running' : startAction(run, path, node);
  if (status === undefined) {
    if (!holds(run, path, node.condition, node.stepId)) {
      path.steps[node.stepId] = 'skipped';
      return 'skipped';
    }
    path.steps[node.stepId] = 'running';
  }
  const outcome = advanceGroup(run, path, node);
  if (outcome !== 'running') path.steps[node.stepId] = outcome;
  return outcome;
}

function advanceGroup(run: Run, path: PathState, group: CompiledGroup): Outcome | 'running' {
  if (group.strategy === 'parallel') {
    const results = group.steps.map((s) => advance(run, path, s));
    if (results.includes('running')) return 'running';
    if (results.includes('failed')) return 'failed';
    return results.includes('succeeded') ? 'succeeded' : 'skipped';
  }
  let anySucceeded = false;
  let anyFailed = false;
  for (const step of group.steps) {
    const r = advance(run, path, step);
    if (r === 'running') return 'running';
    if (group.strategy === 'priority' && r === 'succeeded') return 'succeeded';
    if (group.strategy === 'serial' && r === 'failed') return 'failed';
    anySucceeded ||= r === 'succeeded';
    anyFailed ||= r === 'failed';
  }
  if (anySucceeded) return 'succeeded';
  return anyFailed ? 'failed' : 'skipped';
}

/** exhausted and notEligible are normal outcomes that simply did not succeed. */
function outcomeOf(status: StepStatus): Outcome {
  if (status === 'succeeded' || status === 'failed') return status;
  return 'skipped';
}

function holds(run: Run, path: PathState, condition: CompiledCondition | null, stepId: string): boolean {
  if (condition === null) return true;
  const facts = arrivalFacts(run, path);
  if (safeEvaluate(condition, facts)) return true;
  const explained = condition.explain(facts);
  const failed = explained.leaves.filter((l) => !l.result).slice(0, 3).map((l) => `${l.text} ${short(l.values)}`);
  note(run, { kind: 'action', pathId: path.pathId, message: `${stepId} skipped: if ${condition.text} is false${failed.length ? ` (${failed.join('; ')})` : ''}` });
  return false;
}

function safeEvaluate(condition: CompiledCondition, facts: FactContext): boolean {
  try {
    return condition.evaluate(facts) === true;
  } catch {
    return false;
  }
}

function startAction(run: Run, path: PathState, step: CompiledAction): Outcome | 'running' {
  if (!holds(run, path, step.condition, step.stepId)) {
    path.steps[step.stepId] = 'skipped';
    return 'skipped';
  }
  if (run.cancelReachesAll || isReward(step.action)) {
    const cancelled = path.causedBy.filter((id) => run.state.cancelledEventIds.includes(id));
    if (cancelled.length > 0) {
      path.steps[step.stepId] = 'skipped';
      note(run, { kind: 'action', pathId: path.pathId, message: `${step.stepId} skipped: caused by cancelled event ${cancelled.join(', ')}` });
      return 'skipped';
    }
  }
  const resolved = resolveAction(run, path, step);
  if (typeof resolved === 'string') {
    path.steps[step.stepId] = 'failed';
    note(run, { kind: 'action', pathId: path.pathId, message: `${step.stepId} failed: ${resolved}` });
    return 'failed';
  }
  const effect: RunAction = {
    kind: 'runAction',
    pathId: path.pathId,
    stepId: step.stepId,
    action: resolved,
    idempotencyKey: idempotencyKey(run, path, step.stepId),
    causedBy: [...path.causedBy],
    summary: `${step.stepId}: ${describe(resolved)}`,
  };
  const quiet = run.plan.schedule.quietHours;
  if (resolved.type === 'message' && quiet) {
    const end = quietHoursEnd(run.now, quiet, run.plan.schedule.timezone, run.heldEventsAndSplitArms);
    if (end !== null) effect.notBefore = toIso(end);
  }
  emit(run, effect);
  if (resolved.type === 'coupon' || resolved.type === 'points' || resolved.type === 'credit') {
    const record: RewardRecord = { pathId: path.pathId, stepId: step.stepId, type: resolved.type, idempotencyKey: effect.idempotencyKey, causedBy: effect.causedBy, status: 'pending' };
    if (run.unsettledRewardsKept) pushRewardBounded(run.state.rewards, record, LIMITS.rewards);
    else pushBounded(run.state.rewards, record, LIMITS.rewards);
    if (run.boundedState) run.state.rewards = withinRewardBudget(run.state.rewards);
  }
  path.steps[step.stepId] = 'running';
  note(run, { kind: 'action', pathId: path.pathId, message: `${effect.summary}${effect.notBefore ? ` (quiet hours: not before ${effect.notBefore})` : ''}` });
  return 'running';
}

/** Business identity (DESIGN.md decision 5): the same step of the same visit always has the same key. */
export function idempotencyKey(run: Run, path: PathState, stepId: string): string {
  const parts = [run.state.campaignKey, run.state.userId, String(path.entryNo), String(path.visits[path.state] ?? 1), stepId];
  return run.encodedKeys ? joinKeyParts(parts) : parts.join(':');
}

/** The action with its expressions evaluated, or why it cannot run. */
function resolveAction(run: Run, path: PathState, step: CompiledAction): ResolvedAction | string {
  const spec = step.action;
  const facts = arrivalFacts(run, path);
  switch (spec.type) {
    case 'coupon':
      return { type: 'coupon', pool: spec.pool, unlessHolding: spec.unlessHolding };
    case 'points':
    case 'credit': {
      const amount = evaluateAmount(spec.amount, facts, run.roundedAmounts);
      if (typeof amount === 'string') return amount;
      return spec.type === 'points'
        ? { type: 'points', amount, pool: spec.pool }
        : { type: 'credit', amount, currency: spec.currency, pool: spec.pool };
    }
    case 'message': {
      const data: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(spec.data)) {
        data[name] = 'literal' in value ? value.literal : safeValue(() => value.expression.evaluate(facts));
      }
      // The data travels in the activity's input and in the state while the message is under way.
      const bytes = run.boundedState ? jsonBytes(data) : 0;
      if (bytes > LIMITS.messageDataBytes) return `its data weighs ${Math.ceil(bytes / 1024)} KiB; a message carries at most ${LIMITS.messageDataBytes / 1024} KiB`;
      return { type: 'message', channel: spec.channel, template: spec.template, data };
    }
    case 'webhook':
      return { type: 'webhook', url: spec.url, body: spec.body };
  }
}

function evaluateAmount(amount: CompiledAmount, facts: FactContext, rounded: boolean): number | string {
  if ('literal' in amount) return amount.literal;
  const value = safeValue(() => amount.expression.evaluate(facts));
  const problem = amountProblem(value);
  if (problem === 'notANumber') return `amount ${amount.expression.text} is ${short(value)}, not a number`;
  if (problem === 'nothingToGive') return `amount ${amount.expression.text} is ${String(value)}; nothing to give`;
  return rounded ? roundedAmount(value as number) : (value as number);
}

function safeValue(read: () => unknown): unknown {
  try {
    const v = read();
    return v === undefined ? null : v;
  } catch {
    return null;
  }
}

/**
 * How a step reads in its summary (the trace, the held-steps list, the activity's summary in Temporal): a webhook
 * URL with its credentials masked. Versions stored before they were refused still run (review-63-messages 3).
 */
function describe(action: ResolvedAction): string {
  switch (action.type) {
    case 'coupon':
      return `coupon from ${action.pool}`;
    case 'points':
      return `${action.amount} ${action.amount === 1 ? 'point' : 'points'}${action.pool ? ` from ${action.pool}` : ''}`;
    case 'credit':
      return `${action.amount} ${action.currency} credit${action.pool ? ` from ${action.pool}` : ''}`;
    case 'message':
      return `${action.channel} message ${action.template}`;
    case 'webhook':
      return `webhook ${withoutCredentials(action.url)}`;
  }
}
