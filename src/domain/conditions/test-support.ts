/**
 * Helpers shared by the condition tests (kept out of *.test.ts so jest does
 * not treat them as a suite). Not used by production code.
 */
import { compileCondition, compileValue } from './index';
import type { CompiledCondition, CompiledValue, EventFacts, FactContext } from './types';

export const NOW = Date.UTC(2026, 10, 21, 10, 0, 0); // 2026-11-21T10:00:00Z

export function event(properties: Record<string, unknown> = {}, over: Partial<EventFacts> = {}): EventFacts {
  return { id: 'e-1', type: 'order.completed', occurredAt: '2026-11-21T09:00:00Z', properties, ...over };
}

export function ctx(over: Partial<FactContext> & { aggregates?: Record<string, unknown> } = {}): FactContext {
  const { aggregates = {}, ...rest } = over;
  return {
    event: event(),
    user: {},
    journey: { enteredAt: '2026-11-20T00:00:00Z', stateEnteredAt: '2026-11-20T00:00:00Z', entries: 1 },
    now: NOW,
    aggregate: (key) => (Object.prototype.hasOwnProperty.call(aggregates, key) ? aggregates[key] : null),
    ...rest,
  };
}

export function cond(source: unknown): CompiledCondition {
  const out = compileCondition(source, 'when');
  if (!out.ok) throw new Error(`expected ${JSON.stringify(source)} to compile: ${JSON.stringify(out.issues)}`);
  return out.value;
}

export function value(source: unknown): CompiledValue {
  const out = compileValue(source, 'value');
  if (!out.ok) throw new Error(`expected ${JSON.stringify(source)} to compile: ${JSON.stringify(out.issues)}`);
  return out.value;
}

/** Evaluates an expression against an event's properties (and optional context overrides). */
export function holds(source: unknown, properties: Record<string, unknown> = {}, over: Parameters<typeof ctx>[0] = {}): boolean {
  return cond(source).evaluate(ctx({ event: event(properties), ...over }));
}

export function issuesOf(source: unknown, path = 'when'): Array<{ path: string; message: string; position?: number }> {
  const out = compileCondition(source, path);
  if (out.ok) throw new Error(`expected ${JSON.stringify(source)} to fail`);
  return out.issues;
}
