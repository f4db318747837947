/**
 * Action groups: step ids, compiled `if`s and expressions, pool checks.
 *
 * Step ids are part of every reward's idempotency key, so they must be stable
 * across versions of a campaign: an explicit `id`, else the step's position
 * (`rewarded/0`, `rewarded/1.0` for the first step of the second, nested group).
 */
import { refuseReservedName } from './reserved-names';
import type { Action, ActionGroup, Step } from '../campaign/schema';
import { joinPath } from '../issues';
import { jsonBytes } from '../json-size';
import type { RunAction } from '../machine/effects';
import { LIMITS } from '../machine/state';
import { amountProblem, MAX_REWARD_AMOUNT, TOO_LARGE_AMOUNT } from '../rewards/amounts';
import type { CompileContext } from './context';
import type { CompiledActionSpec, CompiledAmount, CompiledDataValue, CompiledGroup, CompiledStep } from './plan';
import type { FactContext, StaticType } from '../conditions';

export function compileActions(ctx: CompileContext, state: string, group: ActionGroup, path: string): CompiledGroup {
  return compileGroup(ctx, group, path, state, state, []);
}

function compileGroup(
  ctx: CompileContext,
  group: ActionGroup,
  path: string,
  state: string,
  derivedId: string,
  position: number[],
): CompiledGroup {
  if (group.id !== undefined) refuseReservedName(ctx, group.id, 'a step id', joinPath(path, 'id'));
  const stepId = claimStepId(ctx, group.id, derivedId, path);
  const steps = group.steps.map((step, i) => {
    const childPath = joinPath(joinPath(path, 'steps'), i);
    const childPosition = [...position, i];
    return compileStep(ctx, step, childPath, state, `${state}/${childPosition.join('.')}`, childPosition);
  });
  return {
    kind: 'group',
    stepId,
    strategy: group.strategy ?? 'serial',
    condition: ctx.condition(group.if, joinPath(path, 'if')),
    steps,
  };
}

function compileStep(
  ctx: CompileContext,
  step: Step,
  path: string,
  state: string,
  derivedId: string,
  position: number[],
): CompiledStep {
  if ('steps' in step) return compileGroup(ctx, step, path, state, derivedId, position);
  if (step.id !== undefined) refuseReservedName(ctx, step.id, 'a step id', joinPath(path, 'id'));
  return {
    kind: 'action',
    stepId: claimStepId(ctx, step.id, derivedId, path),
    condition: ctx.condition(step.if, joinPath(path, 'if')),
    action: compileAction(ctx, step, path),
  };
}

/**
 * Claims the step's id: `written`, else `derived` from its position. A clash
 * is reported where the operator can rename: at an explicit `id` (this one,
 * or the earlier one when this id is derived), else at the step itself,
 * whatever the order of the states. ctx.stepIds keeps where each id was
 * declared: an explicit one's `id` field, or the step a derived one names.
 */
function claimStepId(ctx: CompileContext, written: string | undefined, derived: string, path: string): string {
  const id = written ?? derived;
  const here = written === undefined ? path : joinPath(path, 'id');
  const earlier = ctx.stepIds.get(id);
  if (earlier === undefined) ctx.stepIds.set(id, here);
  else if (written !== undefined) ctx.report(here, `step id "${id}" is already used at ${earlier}; step ids must be unique`);
  else if (isIdField(earlier)) ctx.report(earlier, `step id "${id}" is also the id of the step at ${path}, which has none written (its state and position name it); step ids must be unique: choose another`);
  else ctx.report(here, `this step's id "${id}", from its state and position, is also the id of the step at ${earlier}; step ids must be unique: give one of them an "id"`);
  return id;
}

/** Whether a path is an `id` field (an explicit id's), not a step's (the one a derived id names: `…actions`, `…steps[0]`). */
const isIdField = (path: string): boolean => path.endsWith('.id');

function compileAction(ctx: CompileContext, action: Action, path: string): CompiledActionSpec {
  switch (action.type) {
    case 'coupon':
      checkPool(ctx, action.pool, 'coupon', joinPath(path, 'pool'));
      return { type: 'coupon', pool: action.pool, unlessHolding: action.unlessHolding ?? false };
    case 'points':
      if (action.pool !== undefined) checkPool(ctx, action.pool, 'points', joinPath(path, 'pool'));
      return { type: 'points', amount: compileAmount(ctx, action.amount, joinPath(path, 'amount')), pool: action.pool ?? null };
    case 'credit':
      if (action.pool !== undefined && checkPool(ctx, action.pool, 'credit', joinPath(path, 'pool'))) {
        checkCurrency(ctx, action.pool, action.currency, joinPath(path, 'currency'));
      }
      return {
        type: 'credit',
        amount: compileAmount(ctx, action.amount, joinPath(path, 'amount')),
        currency: action.currency,
        pool: action.pool ?? null,
      };
    case 'message': {
      const data: Record<string, CompiledDataValue> = {};
      for (const [name, value] of Object.entries(action.data ?? {})) {
        data[name] = ctx.valueOrLiteral(value, joinPath(joinPath(path, 'data'), name));
      }
      if (ctx.admitting) checkLiteralData(ctx, data, joinPath(path, 'data'));
      return { type: 'message', channel: action.channel, template: action.template, data };
    }
    case 'webhook': {
      const body = action.body ?? null;
      if (ctx.admitting) checkWebhookBody(ctx, action.url, body, joinPath(path, 'body'));
      return { type: 'webhook', url: action.url, body };
    }
  }
}

function compileAmount(ctx: CompileContext, amount: number | string, path: string): CompiledAmount {
  if (typeof amount === 'number') {
    if (amountProblem(amount) !== null) ctx.report(path, 'an amount must be greater than 0');
    else if (ctx.admitting && amount > MAX_REWARD_AMOUNT) ctx.report(path, TOO_LARGE_AMOUNT);
    return { literal: amount };
  }
  const expression = ctx.value(amount, path);
  // Admitting only: a stored version compiles as it was accepted (its step fails at run time with the value).
  const type = ctx.admitting ? expression?.staticType : undefined;
  if (type !== undefined && type !== 'number' && type !== 'any') ctx.report(path, `an amount is a number; this expression gives ${AMOUNT_TYPE_WORDS[type]}`);
  else if (ctx.admitting && expression?.constant) {
    // Known now ("0", "-5", "1e13", "1/0"): the same checks as a written number, rather than a step failing on every journey.
    const value = expression.evaluate({} as FactContext);
    if (typeof value !== 'number' || amountProblem(value) !== null) ctx.report(path, `an amount must be greater than 0; this expression always gives ${JSON.stringify(value) ?? String(value)}`);
    else if (value > MAX_REWARD_AMOUNT) ctx.report(path, `${TOO_LARGE_AMOUNT}; this expression always gives ${value}`);
  }
  return expression ? { expression } : { literal: 0 };
}

const AMOUNT_TYPE_WORDS: Record<Exclude<StaticType, 'number' | 'any'>, string> = {
  boolean: 'true or false',
  string: 'text',
  null: 'null',
  list: 'a list',
};

/**
 * A message's data weighs at most LIMITS.messageDataBytes as JSON once
 * evaluated (machine/actions.ts fails the step past it). Its literal values
 * are known now: when they alone weigh more, every journey's step would fail
 * (and under `serial` the steps after it never run), so the campaign is
 * refused instead. Admitting only: a stored version compiles as it was accepted.
 */
function checkLiteralData(ctx: CompileContext, data: Readonly<Record<string, CompiledDataValue>>, path: string): void {
  const literals = Object.entries(data).flatMap(([name, value]) => ('literal' in value ? [[name, value.literal] as const] : []));
  const bytes = jsonBytes(Object.fromEntries(literals));
  if (bytes <= LIMITS.messageDataBytes) return;
  const [heaviest, weight] = literals.map(([name, value]) => [name, jsonBytes(value)] as const).reduce((a, b) => (b[1] > a[1] ? b : a));
  ctx.report(
    path,
    `the data's literal values weigh ${kib(bytes)} KiB as JSON (the heaviest, "${heaviest}", ${kib(weight)} KiB); a message carries at most ${LIMITS.messageDataBytes / 1024} KiB, so every journey's step would fail`,
  );
}

/**
 * What held steps may weigh together as JSON: HELD_BYTES
 * (src/workflows/journey/held-actions.ts, which the domain cannot import; a
 * test checks that the two agree).
 */
export const HELD_STEPS_BYTES = 256 * 1024;

/**
 * A webhook that fails for good is held, with its body, until an operator
 * retries or skips it; the held steps travel in every continue-as-new and
 * weigh at most HELD_STEPS_BYTES. A body that alone leaves no room for its
 * step (the step at its lightest: no ids, no causes) could never be held,
 * and its step would fail instead: refused. Admitting only.
 */
function checkWebhookBody(ctx: CompileContext, url: string, body: unknown, path: string): void {
  const lightest: RunAction = { kind: 'runAction', pathId: '', stepId: '', action: { type: 'webhook', url, body }, idempotencyKey: '', causedBy: [], summary: '' };
  const bytes = jsonBytes(lightest);
  if (bytes <= HELD_STEPS_BYTES) return;
  ctx.report(
    path,
    `the body weighs ${kib(jsonBytes(body))} KiB as JSON; a webhook that fails for good is held with its body, and held steps carry at most ${HELD_STEPS_BYTES / 1024} KiB (with the rest of the step), so this one could never be held: send less (the receiver can fetch the rest)`,
  );
}

const kib = (bytes: number): number => Math.ceil(bytes / 1024);

/** True when the pools are known and this one exists and is of the step's kind. */
function checkPool(ctx: CompileContext, pool: string, kind: string, path: string): boolean {
  ctx.poolsUsed.add(pool);
  if (ctx.pools === null) return false;
  const actual = ctx.pools.get(pool);
  if (actual === undefined) {
    ctx.report(path, `unknown reward pool "${pool}"; create it first (POST /v1/pools)`);
    return false;
  }
  if (actual.kind !== kind) {
    ctx.report(path, `pool "${pool}" is a ${actual.kind} pool; a ${kind} step needs a ${kind} pool`);
    return false;
  }
  return true;
}

/**
 * A pool's currency never changes and a step's is written in the campaign, so
 * a mismatch is certain now, rather than the ledger's WrongCurrency holding the
 * step in every journey. Admitting only: resuming the version that runs admits
 * nothing new (its journeys are held at the step already).
 */
function checkCurrency(ctx: CompileContext, pool: string, currency: string, path: string): void {
  const held = ctx.pools?.get(pool)?.currency;
  if (!ctx.admitting || held === undefined || held === null || held === currency) return;
  ctx.report(path, `pool "${pool}" holds ${held}; this step gives ${currency}`);
}

/** Every action in a group, depth first, for counting and listing. */
export function actionsOf(group: CompiledGroup | null): CompiledStep[] {
  if (!group) return [];
  const out: CompiledStep[] = [];
  const walk = (steps: readonly CompiledStep[]) => {
    for (const s of steps) {
      if (s.kind === 'group') walk(s.steps);
      else out.push(s);
    }
  };
  walk(group.steps);
  return out;
}
