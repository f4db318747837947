/**
 * The state names a definition refers to (`initial`, each transition's `to`
 * and each split branch's `to`) checked on the JSON as sent, before the
 * schema has accepted it. When the schema refuses a definition these are
 * reported beside its problems, so a definition with a bad duration and a
 * misspelt state shows both at once rather than one after the other.
 */
import { joinPath, listedIssues, MAX_LISTED_ISSUES, type DomainIssue } from '../issues';
import { unknownStateMessage } from './graph';
import { isObject } from '../is-object';

type Json = Record<string, unknown>;

const own = (o: Json, key: string) => Object.prototype.hasOwnProperty.call(o, key);

export function rawReferenceIssues(input: unknown): DomainIssue[] {
  if (!isObject(input) || !isObject(input.states)) return [];
  const states = input.states;
  const names = Object.keys(states);
  const issues: DomainIssue[] = [];
  const check = (to: unknown, path: string) => {
    if (typeof to === 'string' && !own(states, to)) issues.push({ path, message: unknownStateMessage(to, names) });
  };
  check(input.initial, 'initial');
  for (const name of names) {
    const state = states[name];
    if (!isObject(state) || !Array.isArray(state.transitions)) continue;
    const transitionsPath = joinPath(joinPath('states', name), 'transitions');
    state.transitions.forEach((t: unknown, i) => {
      if (!isObject(t)) return;
      const path = joinPath(transitionsPath, i);
      check(t.to, joinPath(path, 'to'));
      if (Array.isArray(t.split)) t.split.forEach((branch: unknown, b) => isObject(branch) && check(branch.to, joinPath(joinPath(joinPath(path, 'split'), b), 'to')));
    });
  }
  return issues;
}

/** `issues` and, after them, the reference problems no issue already covers (the same path, or one inside a reported part). */
export function withRawReferences(issues: readonly DomainIssue[], input: unknown): DomainIssue[] {
  // Only what is listed is compared: the schema's issues times the references grew as the square of a large definition.
  const listed = issues.slice(0, MAX_LISTED_ISSUES);
  const covered = (path: string) => listed.some((i) => i.path === '' || path === i.path || path.startsWith(`${i.path}.`) || path.startsWith(`${i.path}[`));
  const references = issues.length < MAX_LISTED_ISSUES ? rawReferenceIssues(input).filter((r) => !covered(r.path)) : [];
  return listedIssues([...issues, ...references]);
}
