/**
 * The editor's view of a definition being drawn: one node per state, one
 * edge per transition (one per branch of a split), and each compiler issue
 * on the element its path names (src/domain/canvas/issue-targets.ts). Pure.
 */
import type { ActionGroup, CampaignInput } from '../../../../src/domain/campaign/schema';
import { targetsOf, type CanvasTarget } from '../../../../src/domain/canvas/issue-targets';
import { triggerOf } from '../../../../src/domain/canvas/triggers';
import type { DomainIssue } from '../../../../src/domain/issues';
import { durationInWords, parseDuration } from '../../../../src/domain/durations';

export type Issue = DomainIssue & { target: CanvasTarget };

export interface EditorNode {
  id: string;
  initial: boolean;
  end: boolean;
  actions: string[];
  strategy: string | null;
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
  issues: Issue[];
}

export const edgeId = (from: string, index: number, branch?: number) => `${from}#${index}${branch === undefined ? '' : `#${branch}`}`;

/** A condition as a person reads it: the 2-D notation as "(a or b) and c". */
export function conditionText(c: unknown): string {
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((row) => (Array.isArray(row) ? (row.length > 1 ? `(${row.map(conditionText).join(' or ')})` : conditionText(row[0])) : conditionText(row))).join(' and ');
  return JSON.stringify(c);
}
const text = conditionText;

/** Edge labels stay short; the side panel shows the whole trigger. */
const LABEL_MAX = 60;
const shorten = (s: string) => (s.length > LABEL_MAX ? `${s.slice(0, LABEL_MAX - 1)}…` : s);

export function triggerLabel(t: Parameters<typeof triggerOf>[0]): string {
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
    case 'at':
      return `at ${trigger.at}`;
    case 'immediate':
      return trigger.if === undefined ? 'immediately' : `if ${text(trigger.if)}`;
    case 'split':
      return 'split';
  }
}

/** One line per action step, as a chip shows it (groups by their size). */
export function stepText(step: Record<string, unknown>): string {
  if (Array.isArray(step.steps)) return `group (${String(step.strategy ?? 'serial')}, ${step.steps.length} steps)`;
  switch (step.type) {
    case 'points':
      return `${String(step.amount)} points${step.pool ? ` from ${String(step.pool)}` : ''}`;
    case 'coupon':
      return `coupon from ${String(step.pool)}`;
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

export function editorModel(def: CampaignInput, issues: readonly DomainIssue[]): { nodes: EditorNode[]; edges: EditorEdge[]; campaignIssues: Issue[]; all: Issue[] } {
  const all = targetsOf(def, issues);
  const nodes: EditorNode[] = Object.entries(def.states).map(([name, s]) => ({
    id: name,
    initial: def.initial === name,
    end: s.end === true,
    actions: ((s.actions as ActionGroup | undefined)?.steps ?? []).map((step) => stepText(step as unknown as Record<string, unknown>)),
    strategy: (s.actions as ActionGroup | undefined)?.strategy ?? null,
    issues: all.filter((i) => (i.target.kind === 'state' || i.target.kind === 'action') && i.target.state === name),
  }));
  const edges: EditorEdge[] = [];
  for (const [from, s] of Object.entries(def.states)) {
    (s.transitions ?? []).forEach((t, index) => {
      const mine = all.filter((i) => i.target.kind === 'transition' && i.target.state === from && i.target.index === index);
      if (t.split !== undefined) {
        t.split.forEach((b, branch) => edges.push({ id: edgeId(from, index, branch), from, index, branch, to: b.to, label: `split ${b.weight}`, issues: mine }));
      } else if (t.to !== undefined) {
        edges.push({ id: edgeId(from, index), from, index, to: t.to, label: shorten(triggerLabel(t)), issues: mine });
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
