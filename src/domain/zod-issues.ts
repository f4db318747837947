/**
 * Turns zod issues into DomainIssues whose paths match the submitted document
 * (`states.rewarded.actions.steps[0].pool`), so the API can point at the
 * exact field. Unions need care: zod reports every branch's failure, and an
 * operator who wrote a coupon step wants to hear about the coupon, not about
 * why it is not a group.
 */
import type { z } from 'zod';
import { joinPath, type DomainIssue } from './issues';

type ZodIssue = z.core.$ZodIssue;

export function formatPath(base: string, path: ReadonlyArray<PropertyKey>): string {
  let out = base;
  for (const key of path) {
    out = joinPath(out, typeof key === 'number' ? key : String(key));
  }
  return out;
}

export function zodIssuesToDomain(issues: readonly ZodIssue[], base = ''): DomainIssue[] {
  const out: DomainIssue[] = [];
  for (const issue of issues) collect(issue, base, out);
  return dedupe(out);
}

function collect(issue: ZodIssue, base: string, out: DomainIssue[]): void {
  const path = formatPath(base, issue.path);
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const branch = closestBranch(issue.errors);
    if (branch === null) {
      out.push({ path, message: issue.message });
      return;
    }
    for (const inner of branch) collect(inner, path, out);
    return;
  }
  if (issue.code === 'unrecognized_keys') {
    for (const key of issue.keys) {
      out.push({ path: joinPath(path, key), message: `unknown field "${key}"` });
    }
    return;
  }
  if (issue.code === 'invalid_key' && issue.issues.length > 0) {
    out.push({ path, message: `invalid key: ${issue.issues[0].message}` });
    return;
  }
  out.push({ path, message: tidy(issue.message) });
}

/**
 * The branch the input was most likely meant to match: the one that failed
 * deepest inside the input rather than at its top level. Null when every
 * branch rejected the input's type outright (the union's own message says it
 * best then, e.g. "expected a condition").
 */
function closestBranch(branches: ReadonlyArray<readonly ZodIssue[]>): readonly ZodIssue[] | null {
  const allRejectType = branches.every((b) => b.every((i) => i.path.length === 0 && i.code === 'invalid_type'));
  if (allRejectType) return null;
  let best: readonly ZodIssue[] = branches[0];
  let bestScore = Number.POSITIVE_INFINITY;
  for (const branch of branches) {
    const score = branch.reduce((sum, i) => sum + (isShallow(i) ? 10 : 1), 0);
    if (score < bestScore) {
      best = branch;
      bestScore = score;
    }
  }
  return best;
}

function isShallow(issue: ZodIssue): boolean {
  if (issue.path.length === 0) return true;
  // A wrong `type` discriminator means "this is not that kind of thing at all".
  return issue.code === 'invalid_union' && issue.errors.length === 0;
}

function tidy(message: string): string {
  return message.replace(/^Invalid input: /, '');
}

function dedupe(issues: DomainIssue[]): DomainIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const id = `${i.path}\u0000${i.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
