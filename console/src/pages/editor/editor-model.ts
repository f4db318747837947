/**
 * The editor's view of a definition being drawn: one node per state, one
 * edge per transition (one per branch of a split), and each compiler issue
 * on the element its path names (src/domain/canvas/issue-targets.ts). Pure.
 */
import type { ActionGroup, CampaignInput } from '../../../../src/domain/campaign/schema';
import type { StateInput, TransitionInput } from '../../../../src/domain/canvas/definition-edits';
import { targetsOf, type CanvasTarget } from '../../../../src/domain/canvas/issue-targets';
import { isObject } from '../../../../src/domain/is-object';
import { triggerOf } from '../../../../src/domain/canvas/triggers';
import type { DomainIssue } from '../../../../src/domain/issues';
import { durationInWords, parseDuration } from '../../../../src/domain/durations';
import { compileCondition, type NormalizedCondition } from '../../../../src/domain/conditions';
import { conditionInWords } from '../../../../src/domain/conditions/words';
import { instantInWords, RIGHT_AWAY, shareInWords, STRATEGY_WORDS } from '../../../../src/domain/graph/words';
import type { ApiStepRow } from '../campaign/graph-model';
import { toEpochMs } from '../../../../src/domain/time';

export type Issue = DomainIssue & { target: CanvasTarget };

export interface EditorNode {
  id: string;
  initial: boolean;
  end: boolean;
  /** The state's top-level steps, one line each (a nested group by its size). */
  actions: string[];
  /**
   * Every step with the groups it sits in, depth first, as the campaign graph has them: a nested group drawn as a list of its own.
   * A top group with an `if` is drawn as a group of its own (its head says the strategy and the `if`), its steps one level
   * deeper: when the `if` does not hold none of them is issued, and the node must not read as if all were.
   */
  steps: ApiStepRow[];
  /** The top group's strategy; null without actions, and when the top group's head row says it (a top group with an `if`). */
  strategy: string | null;
  /** The top group's `if` in words; null (or absent) without one. */
  condition?: string | null;
  issues: Issue[];
}

export interface EditorEdge {
  /** `from#index` or `from#index#branch`. */
  id: string;
  from: string;
  index: number;
  branch?: number;
  to: string;
  label: string;
  /**
   * The transition's place in its state's order (1 is checked first; the first that fires wins), or null when it is the
   * state's only one: the order decides which of two transitions that could both fire is taken.
   */
  rank: number | null;
  issues: Issue[];
}

export const edgeId = (from: string, index: number, branch?: number) => `${from}#${index}${branch === undefined ? '' : `#${branch}`}`;

/**
 * A condition as a person reads it, in any of the three notations: in the
 * words the campaign graph uses ("(a or b) and c", "at least 2 of (a; b)"),
 * never as JSON. One that does not compile yet (being typed) reads as
 * written, the 2-D notation as "(a or b) and c".
 */
export function conditionText(c: unknown): string {
  const compiled = compileCondition(c, 'condition');
  if (compiled.ok) return conditionInWords(compiled.value.normalized as NormalizedCondition);
  return asWritten(c);
}

function asWritten(c: unknown): string {
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((row) => (Array.isArray(row) ? (row.length > 1 ? `(${row.map(asWritten).join(' or ')})` : asWritten(row[0])) : asWritten(row))).join(' and ');
  return JSON.stringify(c);
}
const text = conditionText;

/** Edge labels stay short; the side panel shows the whole trigger. */
const LABEL_MAX = 60;
const shorten = (s: string) => (s.length > LABEL_MAX ? `${s.slice(0, LABEL_MAX - 1)}…` : s);

/** `timezone`: the campaign's (schedule.timezone, UTC when absent), in which an `at` is said, as on the campaign graph. */
export function triggerLabel(t: Parameters<typeof triggerOf>[0], timezone = 'UTC'): string {
  const trigger = triggerOf(t);
  switch (trigger.kind) {
    case 'event':
      return trigger.if === undefined ? trigger.on : `${trigger.on} if ${text(trigger.if)}`;
    case 'when':
      return `when ${text(trigger.when)}`;
    case 'after': {
      const parsed = parseDuration(trigger.after);
      return `after ${parsed.ok ? durationInWords(parsed.value) : trigger.after}`;
    }
    case 'at': {
      // A number no date has (an epoch in microseconds, typed in the JSON tab) reads as written: instantInWords says it so.
      const at = toEpochMs(trigger.at);
      return `at ${Number.isNaN(at) ? String(trigger.at) : instantInWords(at, timezone)}`;
    }
    case 'immediate':
      return trigger.if === undefined ? RIGHT_AWAY : `if ${text(trigger.if)}`;
    case 'split':
      return 'split';
  }
}

/** The weights' sum, or null while one is not a usable weight (being typed): then each branch shows its weight as written. */
function splitTotal(branches: ReadonlyArray<{ weight: unknown }>): number | null {
  if (!branches.every((b) => typeof b.weight === 'number' && Number.isFinite(b.weight) && b.weight >= 0)) return null;
  const total = branches.reduce((sum, b) => sum + (b.weight as number), 0);
  return total > 0 ? total : null;
}

/**
 * One line per action step, as a chip shows it (groups by their size), with
 * its `if` and a coupon's `unlessHolding` in the campaign graph's words
 * (src/domain/graph/campaign-graph.ts): without them a reward only some users
 * get reads as everyone's.
 */
export function stepText(step: Record<string, unknown>): string {
  return `${whatText(step)}${ifText(step.if)}`;
}

/** " if <condition in words>", or nothing when there is no `if`. */
const ifText = (c: unknown) => (c === undefined || c === null ? '' : ` if ${text(c)}`);

/** A group's head: "serial: in order", with its `if` ("parallel: all at once if user.vip == true"). */
export function groupText(strategy: string, condition: unknown): string {
  return `${strategy}: ${STRATEGY_WORDS[strategy] ?? strategy}${ifText(condition)}`;
}

function whatText(step: Record<string, unknown>): string {
  if (Array.isArray(step.steps)) return `group (${String(step.strategy ?? 'serial')}, ${step.steps.length} steps)`;
  switch (step.type) {
    case 'points':
      return `${String(step.amount)} points${step.pool ? ` from ${String(step.pool)}` : ''}`;
    case 'coupon':
      return `coupon from ${String(step.pool)}${step.unlessHolding === true ? ' (unless the user holds one)' : ''}`;
    case 'credit':
      return `${String(step.amount)} ${String(step.currency)} credit`;
    case 'message':
      return `${String(step.channel)} message ${String(step.template)}`;
    case 'webhook':
      return `webhook ${String(step.url)}`;
    default:
      return String(step.type);
  }
}

/** A group's steps depth first, each nested group followed by its own steps one level deeper (keys by position: steps being drawn may lack ids). */
export function stepRows(steps: ReadonlyArray<Record<string, unknown>>, depth = 0, at = ''): ApiStepRow[] {
  return steps.flatMap((step, i) => {
    const stepId = `${at}${i + 1}`;
    if (!Array.isArray(step.steps)) return [{ stepId, depth, kind: 'action' as const, type: typeof step.type === 'string' ? step.type : null, strategy: null, text: stepText(step) }];
    const strategy = typeof step.strategy === 'string' ? step.strategy : 'serial';
    const head: ApiStepRow = { stepId, depth, kind: 'group', type: null, strategy, text: groupText(strategy, step.if) };
    return [head, ...stepRows(step.steps as Array<Record<string, unknown>>, depth + 1, `${stepId}.`)];
  });
}

/**
 * A definition's states as the canvas draws them, whatever the value: the
 * JSON and YAML tabs keep shapes the canvas cannot draw out of the campaign
 * (campaign-shape.ts), and this draws what it can of any that gets through
 * (a null state as one with no fields), since it runs in the editor's own
 * render, where a throw would take the editor and its unsaved draft down.
 */
function statesOf(def: CampaignInput): Array<[string, StateInput]> {
  const states: unknown = def.states;
  if (!isObject(states)) return [];
  return Object.entries(states).map(([name, s]) => [name, (isObject(s) ? s : {}) as StateInput]);
}

const listOf = <T>(v: unknown): T[] => (Array.isArray(v) ? (v.filter(isObject) as T[]) : []);

export function editorModel(def: CampaignInput, issues: readonly DomainIssue[]): { nodes: EditorNode[]; edges: EditorEdge[]; campaignIssues: Issue[]; all: Issue[] } {
  const all = targetsOf(def, issues);
  const states = statesOf(def);
  const nodes: EditorNode[] = states.map(([name, s]) => {
    const group = (isObject(s.actions) ? s.actions : undefined) as ActionGroup | undefined;
    const steps = listOf<Record<string, unknown>>(group?.steps);
    const topIf = group?.if;
    const gated = topIf !== undefined && topIf !== null;
    const strategy = group === undefined ? null : (group.strategy ?? 'serial');
    return {
      id: name,
      initial: def.initial === name,
      end: s.end === true,
      actions: steps.map(stepText),
      steps: gated ? [{ stepId: '0', depth: 0, kind: 'group', type: null, strategy, text: groupText(strategy ?? 'serial', topIf) }, ...stepRows(steps, 1)] : stepRows(steps),
      strategy: gated ? null : (group?.strategy ?? null),
      condition: gated ? text(topIf) : null,
      issues: all.filter((i) => (i.target.kind === 'state' || i.target.kind === 'action') && i.target.state === name),
    };
  });
  const edges: EditorEdge[] = [];
  const timezone = def.schedule?.timezone ?? 'UTC';
  for (const [from, s] of states) {
    const list = Array.isArray(s.transitions) ? s.transitions : [];
    list.forEach((t: TransitionInput | null, index) => {
      if (!isObject(t)) return;
      const rank = list.length > 1 ? index + 1 : null;
      const mine = all.filter((i) => i.target.kind === 'transition' && i.target.state === from && i.target.index === index);
      if (t.split !== undefined) {
        const split = listOf<{ to: string; weight: number }>(t.split);
        const total = splitTotal(split);
        split.forEach((b, branch) =>
          edges.push({
            id: edgeId(from, index, branch),
            from,
            index,
            branch,
            to: b.to,
            label: total === null ? `split weight ${String(b.weight)}` : shareInWords(b.weight, total),
            rank,
            // An issue of one branch (its weight, its target) is that branch's edge's alone; one of the split itself is every branch's.
            issues: mine.filter((i) => i.target.kind !== 'transition' || i.target.branch === undefined || i.target.branch === branch),
          }),
        );
      } else if (t.to !== undefined) {
        edges.push({ id: edgeId(from, index), from, index, to: t.to, label: shorten(triggerLabel(t, timezone)), rank, issues: mine });
      }
    });
  }
  const campaignIssues = all.filter((i) => i.target.kind === 'campaign');
  return { nodes, edges, campaignIssues, all };
}

/** A new campaign: one initial state to draw from. */
export function blankCampaign(): CampaignInput {
  return { key: 'new-campaign', name: 'New campaign', entry: { on: 'order.completed' }, initial: 'start', states: { start: { transitions: [] } } } as CampaignInput;
}
