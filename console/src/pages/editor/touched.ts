/**
 * Which issues to show at their fields: only those about parts the operator
 * has touched (edited, or left a field of), until a save or "show all" asks
 * for every one. A new campaign is not covered in red before anything is
 * typed, and the badge still counts every issue. Pure.
 */
import { joinPath } from '../../../../src/domain/issues';
import { isObject } from '../../../../src/domain/is-object';


/**
 * The paths (in the compiler's notation, `states.a.transitions[0].after`) at
 * which `now` differs from `initial`: the shallowest points of difference,
 * a field added or removed counting as changed at its own path.
 */
export function changedPaths(initial: unknown, now: unknown, base = ''): string[] {
  if (initial === now) return [];
  if (Array.isArray(initial) && Array.isArray(now)) {
    const out: string[] = [];
    for (let i = 0; i < Math.max(initial.length, now.length); i++) {
      if (i >= initial.length || i >= now.length) out.push(joinPath(base, i));
      else out.push(...changedPaths(initial[i], now[i], joinPath(base, i)));
    }
    return out;
  }
  if (isObject(initial) && isObject(now)) {
    const out: string[] = [];
    for (const key of new Set([...Object.keys(initial), ...Object.keys(now)])) out.push(...changedPaths(initial[key], now[key], joinPath(base, key)));
    return out;
  }
  return JSON.stringify(initial) === JSON.stringify(now) ? [] : [base];
}

/** `a` is `b` or holds it: `states.a` holds `states.a.end` and `states.a[0]`, not `states.ab`. */
const holds = (a: string, b: string) => a === '' || a === b || b.startsWith(`${a}.`) || b.startsWith(`${a}[`);

/** An issue is about a touched part when its path is at, inside or around a touched path. */
export function isTouched(path: string, touched: readonly string[]): boolean {
  return touched.some((t) => holds(t, path) || holds(path, t));
}

/** The issues to show at their fields, and how many wait for the operator to reach them. */
export function shownIssues<T extends { path: string }>(issues: readonly T[], touched: readonly string[], showAll: boolean): { shown: T[]; waiting: number } {
  if (showAll) return { shown: [...issues], waiting: 0 };
  const shown = issues.filter((i) => isTouched(i.path, touched));
  return { shown, waiting: issues.length - shown.length };
}
