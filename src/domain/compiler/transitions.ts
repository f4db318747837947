/**
 * One state's transitions: classify each by its trigger, compile its
 * condition, parse its time, and index `on` transitions by event type so the
 * machine finds candidates for an event without scanning.
 */
import { refuseReservedName } from './reserved-names';
import type { Transition } from '../campaign/schema';
import { latestTimerAt, longerThanTimerHolds, MAX_TIMER_YEARS, parseDuration } from '../durations';
import { joinPath } from '../issues';
import { toEpochMs, toIso } from '../time';
import type { CompileContext } from './context';
import type { CompiledTransition } from './plan';

export function compileTransitions(
  ctx: CompileContext,
  state: string,
  transitions: readonly Transition[],
  path: string,
): CompiledTransition[] {
  const out: CompiledTransition[] = [];
  transitions.forEach((t, index) => {
    const compiled = compileTransition(ctx, state, t, index, joinPath(path, index));
    if (compiled) out.push(compiled);
  });
  return out;
}

function compileTransition(
  ctx: CompileContext,
  state: string,
  t: Transition,
  index: number,
  path: string,
): CompiledTransition | null {
  const id = t.id ?? `${state}#${index}`;
  const to = t.to ?? '';
  if (t.split !== undefined) {
    const branches = t.split.map((b) => ({ to: b.to, weight: b.weight }));
    // Past the largest double the draw always took the last branch; weights are relative, 90 and 10 say the same as 9e300 and 1e300.
    if (ctx.admitting && !Number.isFinite(branches.reduce((sum, b) => sum + b.weight, 0))) {
      ctx.report(joinPath(path, 'split'), 'the weights add up past the largest number; use smaller ones (they are relative, e.g. 90 and 10)');
    }
    const text = `${state} → split(${branches.map((b) => `${b.to}:${b.weight}`).join(', ')})`;
    return { kind: 'split', index, id, text, branches };
  }
  if (t.on !== undefined) {
    refuseReservedName(ctx, t.on, 'an event type', joinPath(path, 'on'));
    const condition = ctx.condition(t.if, joinPath(path, 'if'));
    const text = `${state} → ${to} on ${t.on}${condition ? ` if ${condition.text}` : ''}`;
    return { kind: 'on', index, id, text, to, eventType: t.on, condition };
  }
  if (t.when !== undefined) {
    const condition = ctx.condition(t.when, joinPath(path, 'when'));
    if (!condition) return null;
    return { kind: 'when', index, id, text: `${state} → ${to} when ${condition.text}`, to, condition };
  }
  if (t.after !== undefined) {
    const parsed = parseDuration(t.after, joinPath(path, 'after'));
    if (!parsed.ok) {
      ctx.issues.push(...parsed.issues);
      return null;
    }
    // Admitting only (a stored version compiles as it was accepted): Temporal would fire a longer timer early.
    if (ctx.admitting && longerThanTimerHolds(parsed.value)) {
      ctx.report(
        joinPath(path, 'after'),
        `"${t.after}" is longer than ${MAX_TIMER_YEARS} years (P${MAX_TIMER_YEARS}Y), the longest a journey's timer can wait: Temporal ends a timer after 100 years, so it would fire early`,
      );
    }
    return { kind: 'after', index, id, text: `${state} → ${to} after ${t.after}`, to, duration: parsed.value };
  }
  if (t.at !== undefined) {
    const at = toEpochMs(t.at);
    if (Number.isNaN(at)) {
      ctx.report(joinPath(path, 'at'), `"${t.at}" is not an ISO 8601 date and time with a zone`);
      return null;
    }
    // Admitting only, as `after` above: a timer started now waits at most MAX_TIMER_YEARS.
    if (ctx.admitting) {
      const latest = latestTimerAt(ctx.admittedAt());
      if (at > latest) {
        ctx.report(
          joinPath(path, 'at'),
          `"${t.at}" is more than ${MAX_TIMER_YEARS} years from now (the latest is ${toIso(latest)}), longer than a journey's timer can wait: Temporal ends a timer after 100 years, so it would fire early`,
        );
      }
    }
    return { kind: 'at', index, id, text: `${state} → ${to} at ${t.at}`, to, at };
  }
  const condition = ctx.condition(t.if, joinPath(path, 'if'));
  // A condition that did not compile is reported at `if`; taken as no condition, the branch would also be called one that always fires.
  if (t.if !== undefined && !condition) return null;
  const text = `${state} → ${to}${condition ? ` if ${condition.text}` : ' (immediately)'}`;
  return { kind: 'immediate', index, id, text, to, condition };
}

export function targetsOf(t: CompiledTransition): string[] {
  return t.kind === 'split' ? t.branches.map((b) => b.to) : [t.to];
}

/** Fires on entry without waiting for an event or a timer. */
export function isImmediate(t: CompiledTransition): boolean {
  return t.kind === 'immediate' || t.kind === 'split';
}

/** Always fires when checked: later transitions of the state are never reached. */
export function isUnconditional(t: CompiledTransition): boolean {
  return t.kind === 'split' || (t.kind === 'immediate' && t.condition === null);
}

export function indexOnByType(transitions: readonly CompiledTransition[]): Record<string, number[]> {
  const byType: Record<string, number[]> = {};
  transitions.forEach((t, i) => {
    // Own keys only: `valueOf` would find Object's method (a stored plan is compiled again with its names, reserved or not).
    if (t.kind === 'on') (Object.hasOwn(byType, t.eventType) ? byType[t.eventType] : (byType[t.eventType] = [])).push(i);
  });
  return byType;
}
