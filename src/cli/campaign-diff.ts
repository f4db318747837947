import { joinPath } from '../domain/issues';
import { isObject } from '../domain/is-object';

export type Change =
  | { kind: 'added'; path: string; after: unknown }
  | { kind: 'removed'; path: string; before: unknown }
  | { kind: 'changed'; path: string; before: unknown; after: unknown };


/**
 * What changed from `before` to `after`, as the API's paths
 * (`states.rewarded.actions.steps[0].pool`). Object keys are compared by
 * name (their order never matters: PostgreSQL's jsonb keeps no order);
 * arrays by index, so a step inserted in the middle shows as changes to
 * every later index and one addition at the end.
 */
export function diffValues(before: unknown, after: unknown, path = ''): Change[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => {
      const p = joinPath(path, k);
      if (!(k in after) || after[k] === undefined) return before[k] === undefined ? [] : [{ kind: 'removed' as const, path: p, before: before[k] }];
      if (!(k in before) || before[k] === undefined) return [{ kind: 'added' as const, path: p, after: after[k] }];
      return diffValues(before[k], after[k], p);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: Change[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const p = joinPath(path, i);
      if (i >= after.length) out.push({ kind: 'removed', path: p, before: before[i] });
      else if (i >= before.length) out.push({ kind: 'added', path: p, after: after[i] });
      else out.push(...diffValues(before[i], after[i], p));
    }
    return out;
  }
  return Object.is(before, after) || (before === after) ? [] : [{ kind: 'changed', path, before, after }];
}

const show = (v: unknown): string => JSON.stringify(v) ?? 'undefined';

/** One line per change: `+ path: value`, `- path: value`, `~ path: before -> after`. */
export function renderChanges(changes: Change[]): string[] {
  return changes.map((c) => {
    const at = c.path || '(the whole definition)';
    if (c.kind === 'added') return `+ ${at}: ${show(c.after)}`;
    if (c.kind === 'removed') return `- ${at}: ${show(c.before)}`;
    return `~ ${at}: ${show(c.before)} -> ${show(c.after)}`;
  });
}
