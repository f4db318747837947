/**
 * From a compiler issue path (as POST /v1/campaigns/validate answers it, e.g.
 * `states.rewarded.actions.steps[0].pool` or
 * `states.collecting.transitions[0].when[1][0]`) to the canvas element it
 * names, so the error is shown on that node, edge, action chip or side-panel
 * field. State names may hold dots, so the definition being edited decides
 * where a state name ends.
 */
import type { CampaignInput } from '../campaign/schema';
import type { DomainIssue } from '../issues';

export type CanvasTarget =
  /** A campaign-wide field (`entry`, `audience`, `participation`, `exitOn`, `schedule`, `initial`, `key`, `name` ...); null: the whole campaign. */
  | { kind: 'campaign'; field: string | null; rest: string }
  /** The state node itself (`field` null: e.g. unreachable), or one of its own fields (`end`, `description`). */
  | { kind: 'state'; state: string; field: string | null; rest: string }
  /** The edge `transitions[index]` of `state`; `branch` for one branch of a split; `field` such as `when`, `to`, `after`. */
  | { kind: 'transition'; state: string; index: number; branch?: number; field: string | null; rest: string }
  /** The step at `steps` (indexes through nested groups; [] is the state's top group) of `state`'s actions. */
  | { kind: 'action'; state: string; steps: number[]; field: string | null; rest: string };

type Token = string | number;

/** `.a[0].b` → ['a', 0, 'b'] and the text that remains after the tokens taken. */
function tokens(path: string): Token[] {
  const out: Token[] = [];
  const re = /\.?([^.[\]]+)|\[(\d+)\]/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path)) !== null) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

function printTokens(list: readonly Token[]): string {
  return list.map((t, i) => (typeof t === 'number' ? `[${t}]` : i === 0 ? t : `.${t}`)).join('');
}

/** The state name at the start of `path` (after `states.`): the longest name of the definition that fits, else up to the next `.` or `[`. */
function splitState(def: CampaignInput | undefined, path: string): { state: string; after: string } {
  const names = Object.keys(def?.states ?? {}).sort((a, b) => b.length - a.length);
  for (const name of names) {
    if (path === name || path.startsWith(`${name}.`) || path.startsWith(`${name}[`)) return { state: name, after: path.slice(name.length) };
  }
  const end = path.search(/[.[]/);
  return end === -1 ? { state: path, after: '' } : { state: path.slice(0, end), after: path.slice(end) };
}

export function targetOf(def: CampaignInput | undefined, path: string): CanvasTarget {
  if (!path.startsWith('states.')) {
    const [field, ...rest] = tokens(path);
    return { kind: 'campaign', field: field === undefined ? null : String(field), rest: printTokens(rest) };
  }
  const { state, after } = splitState(def, path.slice('states.'.length));
  const list = tokens(after);
  if (list[0] === 'transitions' && typeof list[1] === 'number') {
    const index = list[1];
    if (list[2] === 'split' && typeof list[3] === 'number') {
      const field = list[4] === undefined ? null : String(list[4]);
      return { kind: 'transition', state, index, branch: list[3], field, rest: printTokens(list.slice(5)) };
    }
    return { kind: 'transition', state, index, field: list[2] === undefined ? null : String(list[2]), rest: printTokens(list.slice(3)) };
  }
  if (list[0] === 'actions') {
    const steps: number[] = [];
    let i = 1;
    while (list[i] === 'steps' && typeof list[i + 1] === 'number') {
      steps.push(list[i + 1] as number);
      i += 2;
    }
    return { kind: 'action', state, steps, field: list[i] === undefined ? null : String(list[i]), rest: printTokens(list.slice(i + 1)) };
  }
  if (list[0] === 'transitions') return { kind: 'state', state, field: 'transitions', rest: printTokens(list.slice(1)) };
  return { kind: 'state', state, field: list[0] === undefined ? null : String(list[0]), rest: printTokens(list.slice(1)) };
}

/** Every issue with the element it names, for drawing them on the canvas in one pass. */
export function targetsOf(def: CampaignInput | undefined, issues: readonly DomainIssue[]): Array<DomainIssue & { target: CanvasTarget }> {
  return issues.map((issue) => ({ ...issue, target: targetOf(def, issue.path) }));
}
