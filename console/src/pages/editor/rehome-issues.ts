/**
 * The last check's issues, moved from the definition they are about to the
 * one the canvas draws now, until the next check answers. Issues name their
 * element by path (`states.s.transitions[1].when`); after an edit the same
 * path can name another element (transition 2 of 2 is transition 1 once the
 * first is deleted), which would then be drawn red with an error it does not
 * have. So each issue follows its element by object identity (edits keep
 * the objects they do not change), as duration-drafts.ts does for drafts,
 * and goes when that element changed or is gone: the next check says
 * whether it still holds. Pure.
 */
import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import type { DomainIssue } from '../../../../src/domain/issues';
import { isObject } from '../../../../src/domain/is-object';
import { targetOf } from '../../../../src/domain/canvas/issue-targets';

type States = Record<string, unknown>;

const statesOf = (def: CampaignInput): States => (isObject(def.states) ? (def.states as States) : {});
const transitionsOf = (state: unknown): unknown[] => (isObject(state) && Array.isArray(state.transitions) ? state.transitions : []);

/** The name `name`'s state has in `now`: the same object under any name (a rename), else the same name; null when gone. */
function stateNameIn(then: States, now: States, name: string): string | null {
  const state = then[name];
  const same = Object.keys(now).find((n) => now[n] === state);
  if (same !== undefined) return same;
  return Object.hasOwn(now, name) ? name : null;
}

/** `path` with `from` (a prefix of it) replaced by `to`; null when it does not start so (a name the compiler spelled otherwise). */
const swapPrefix = (path: string, from: string, to: string): string | null => (path === from || path.startsWith(`${from}.`) || path.startsWith(`${from}[`) ? to + path.slice(from.length) : null);

function rehomeOne<T extends DomainIssue>(checked: CampaignInput, now: CampaignInput, issue: T): T | null {
  const target = targetOf(checked, issue.path);
  if (target.kind === 'campaign') return issue;
  const then = statesOf(checked);
  const current = statesOf(now);
  const name = stateNameIn(then, current, target.state);
  if (name === null) return null;
  const statePrefix = `states.${target.state}`;
  if (target.kind === 'transition') {
    const transition = transitionsOf(then[target.state])[target.index];
    const index = transitionsOf(current[name]).indexOf(transition);
    if (transition === undefined || index < 0) return null;
    const path = swapPrefix(issue.path, `${statePrefix}.transitions[${target.index}]`, `states.${name}.transitions[${index}]`);
    return path === null ? null : { ...issue, path };
  }
  // An action's path counts steps of nested groups: kept only while the state's actions are the very same.
  if (target.kind === 'action' && (!isObject(then[target.state]) || !isObject(current[name]) || (then[target.state] as States).actions !== (current[name] as States).actions)) return null;
  const path = swapPrefix(issue.path, statePrefix, `states.${name}`);
  return path === null ? null : { ...issue, path };
}

/** `issues` (about `checked`) as they apply to `now`: each at its element's path there, those whose element changed or went left out. */
export function rehomeIssues<T extends DomainIssue>(checked: CampaignInput | null, now: CampaignInput, issues: readonly T[]): T[] {
  if (checked === now) return [...issues];
  if (checked === null) return [];
  return issues.flatMap((i) => {
    const moved = rehomeOne(checked, now, i);
    return moved === null ? [] : [moved];
  });
}
