import type { ActionGroup, ConditionSource, Step } from '../../../../src/domain/campaign/schema';
import { addStep, amountFromText, isGroup, setStep, stepLabel } from '../../../../src/domain/canvas/action-tree';
import { ConditionBuilder } from './ConditionBuilder';
import { ExpressionEditor } from './ExpressionEditor';
import { MessageDataEditor } from './MessageDataEditor';
import type { Issue } from './editor-model';
import { Issues } from './panels';

/**
 * A state's actions as a tree: a group has a strategy (serial, parallel,
 * priority) and steps, each an action or a nested group with its own
 * strategy (CAMPAIGNS.md: parallel shares rewards, priority makes them
 * exclusive). Each step's compiler issues are shown under it.
 */

/** `expression`: a number or an expression that computes one (CAMPAIGNS.md's amounts), edited in the expression editor. */
type Fields = Array<{ name: string; expression?: boolean }>;
const STEP_FIELDS: Record<string, Fields> = {
  points: [{ name: 'amount', expression: true }, { name: 'pool' }],
  coupon: [{ name: 'pool' }],
  credit: [{ name: 'amount', expression: true }, { name: 'currency' }, { name: 'pool' }],
  message: [{ name: 'channel' }, { name: 'template' }],
  webhook: [{ name: 'url' }],
};
const NEW_STEP: Record<string, Step> = {
  points: { type: 'points', amount: 50 },
  coupon: { type: 'coupon', pool: 'coupons' },
  credit: { type: 'credit', amount: 5, currency: 'USD' },
  message: { type: 'message', channel: 'push', template: 'hello' },
  webhook: { type: 'webhook', url: 'https://example.com/hook' },
  group: { strategy: 'parallel', steps: [{ type: 'points', amount: 10 }] },
};

const samePath = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function ActionGroupEditor({ top, issues, onChange }: { top: ActionGroup | undefined; issues: Issue[]; onChange: (g: ActionGroup | undefined) => void }) {
  const root: ActionGroup = top ?? { steps: [] };
  // The top group emptied means no actions at all (the schema wants at least one step in a group).
  const emit = (g: ActionGroup) => onChange(g.steps.length === 0 ? undefined : g);
  return <Group group={root} path={[]} root={root} issues={issues} emit={emit} />;
}

function Group({ group, path, root, issues, emit }: { group: ActionGroup; path: number[]; root: ActionGroup; issues: Issue[]; emit: (g: ActionGroup) => void }) {
  const nested = path.length > 0;
  const name = nested ? ` of group ${stepLabel(path)}` : '';
  const stepIssues = (p: number[]) => issues.filter((i) => i.target.kind === 'action' && samePath(i.target.steps, p));
  return (
    <div className={nested ? 'step step-group' : undefined} role={nested ? 'group' : undefined} aria-label={nested ? `Group ${stepLabel(path)}` : undefined}>
      {nested && <b>group</b>}
      {(nested || group.steps.length > 1) && (
        <label className="field">
          Strategy{name}
          <select aria-label={`Strategy${name}`} value={group.strategy ?? 'serial'} onChange={(e) => emit(editSelf(root, path, { ...group, strategy: e.target.value as ActionGroup['strategy'] }))}>
            <option value="serial">serial: in order, a failure stops the rest</option>
            <option value="parallel">parallel: all at once (shared)</option>
            <option value="priority">priority: the first success wins (exclusive)</option>
          </select>
        </label>
      )}
      {group.steps.map((s, i) => {
        const p = [...path, i];
        if (isGroup(s)) return <Group key={i} group={s} path={p} root={root} issues={issues} emit={emit} />;
        return <ActionStep key={i} step={s as Record<string, unknown>} path={p} issues={stepIssues(p)} onChange={(next) => emit(setStep(root, p, next as Step | undefined))} />;
      })}
      <label className="field">
        Add a step{nested ? ` to group ${stepLabel(path)}` : ''}
        <select aria-label={`Add a step${nested ? ` to group ${stepLabel(path)}` : ''}`} value="" onChange={(e) => e.target.value && emit(addStep(root, path, NEW_STEP[e.target.value]))}>
          <option value="">choose…</option>
          {Object.keys(NEW_STEP).map((t) => (
            <option key={t} value={t}>
              {t === 'group' ? 'nested group' : t}
            </option>
          ))}
        </select>
      </label>
      {nested && (
        <button type="button" className="link-button" onClick={() => emit(setStep(root, path, undefined))}>
          Remove group {stepLabel(path)}
        </button>
      )}
      <Issues list={stepIssues(path).filter((i) => i.target.kind === 'action' && i.target.field !== 'if')} />
    </div>
  );
}

/** The tree with the group at `path` replaced by `next`. */
function editSelf(root: ActionGroup, path: number[], next: ActionGroup): ActionGroup {
  return path.length === 0 ? next : setStep(root, path, next);
}

function ActionStep({ step, path, issues, onChange }: { step: Record<string, unknown>; path: number[]; issues: Issue[]; onChange: (s: Record<string, unknown> | undefined) => void }) {
  const label = `Step ${stepLabel(path)}`;
  const set = (field: string, value: unknown) => {
    const next = { ...step, [field]: value };
    if (value === undefined) delete next[field];
    onChange(next);
  };
  const ifIssues = issues.filter((i) => i.target.kind === 'action' && i.target.field === 'if').map((i) => ({ rest: i.target.rest, message: i.message, position: i.position }));
  return (
    <div className="step" aria-label={label} role="group">
      <b>{String(step.type)}</b>
      {(STEP_FIELDS[String(step.type)] ?? []).map((f) =>
        f.expression ? (
          <div key={f.name} className="field">
            <span aria-hidden="true">{f.name}</span>
            <ExpressionEditor
              label={`${label} ${f.name}`}
              value={step[f.name] === undefined ? '' : String(step[f.name])}
              // Underlined where the compiler points; the messages are listed under the step.
              issues={issues.filter((i) => i.target.kind === 'action' && i.target.field === f.name).map((i) => ({ message: i.message, position: i.position }))}
              onChange={(text) => set(f.name, amountFromText(text))}
            />
          </div>
        ) : (
          <label key={f.name} className="field">
            {f.name}
            <input aria-label={`${label} ${f.name}`} value={step[f.name] === undefined ? '' : String(step[f.name])} onChange={(e) => set(f.name, e.target.value === '' ? undefined : e.target.value)} />
          </label>
        ),
      )}
      {step.type === 'message' && <MessageDataEditor label={label} data={step.data as Record<string, unknown> | undefined} onChange={(d) => set('data', d)} />}
      {step.if === undefined ? (
        <button type="button" className="link-button" onClick={() => set('if', 'user.vip == true')}>
          + if
        </button>
      ) : (
        <ConditionBuilder label={`${label} if`} value={step.if as ConditionSource} issues={ifIssues} onChange={(c) => set('if', c)} />
      )}{' '}
      <button type="button" className="link-button" onClick={() => onChange(undefined)}>
        Remove step {stepLabel(path)}
      </button>
      <Issues list={issues.filter((i) => i.target.kind === 'action' && i.target.field !== 'if')} />
    </div>
  );
}
