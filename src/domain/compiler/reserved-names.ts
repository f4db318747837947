import type { CompileContext } from './context';

/**
 * The names every JavaScript object answers to. A journey keeps its
 * bookkeeping per state, step and event type in plain objects that travel
 * through Temporal as JSON, where such a name reads the built-in member
 * instead of a value: a state called `constructor` walked on without
 * issuing its rewards. Spelled out rather than read from Object.prototype,
 * so the list is the same wherever the compiler runs.
 */
const RESERVED = new Set([
  '__proto__',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'constructor',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
]);

/**
 * Reports a state name, step id or event type a campaign chooses that is
 * reserved, at `path`. Admitting only: a stored version compiles as it was
 * accepted (and such a one never ran as written).
 */
export function refuseReservedName(ctx: CompileContext, name: string, what: string, path: string): void {
  if (!ctx.admitting) return;
  const problem = reservedNameProblem(name, what);
  if (problem) ctx.report(path, problem);
}

/** Why `name` cannot be `what` (a state name, a step id, an event type), or undefined when it can. */
export function reservedNameProblem(name: string, what: string): string | undefined {
  if (!RESERVED.has(name)) return undefined;
  return `"${name}" is reserved as ${what} (so are ${[...RESERVED].filter((n) => n !== name).join(', ')}: names every object carries); choose another`;
}
