import { useId, useRef, useState, type RefObject } from 'react';
import type { ActionGroup, ConditionSource, Step } from '../../../../src/domain/campaign/schema';
import { firstFocusable, useFocusAfterRemoval } from '../../ui/focus-after-removal';
import { addStep, amountFromText, amountText, amountWritten, isGroup, setStep, stepLabel } from '../../../../src/domain/canvas/action-tree';
import { ConditionBuilder } from './ConditionBuilder';
import { ExpressionEditor } from './ExpressionEditor';
import { MessageDataEditor } from './MessageDataEditor';
import type { Issue } from './editor-model';
import { Issues } from './panels';

/**
 * A state's actions as a tree: a group has a strategy (serial, parallel,
 * priority) and steps, each an action or a nested group with its own
 * strategy (CAMPAIGNS.md: parallel shares rewards, priority makes them
 * exclusive). Each group, the top one too, and each step can have an `if`
 * (when it does not hold, nothing in it is issued). Each step's compiler
 * issues are shown under it, those of a field it draws at that field.
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
  const box = useRef<HTMLDivElement>(null);
  const focusAfterRemoval = useFocusAfterRemoval();
  /**
   * Remove step and Remove group go with their step: the focus goes to the step that took its place (its first
   * field), else to its group's Add a step; a nested group emptied goes too, and then the same from its place.
   */
  const removed = (path: readonly number[]) =>
    focusAfterRemoval(() => {
      for (let at = path; at.length > 0; at = at.slice(0, -1)) {
        const name = stepLabel(at);
        const next = box.current?.querySelector(`[role="group"][aria-label="Step ${name}"], [role="group"][aria-label="Group ${name}"]`);
        if (next) return firstFocusable(next);
        const parent = at.slice(0, -1);
        const add = box.current?.querySelector<HTMLElement>(`select[aria-label="Add a step${parent.length > 0 ? ` to group ${stepLabel(parent)}` : ''}"]`);
        if (add) return add;
      }
      return null;
    });
  return <Group group={root} path={[]} root={root} issues={issues} emit={emit} removed={removed} box={box} />;
}

type GroupProps = {
  group: ActionGroup;
  path: number[];
  root: ActionGroup;
  issues: Issue[];
  emit: (g: ActionGroup) => void;
  /** Told before a step or group at `path` is removed (where the focus goes next). */
  removed: (path: readonly number[]) => void;
  /** The top group's box, where the focus is looked for after a removal. */
  box?: RefObject<HTMLDivElement | null>;
};

function Group({ group, path, root, issues, emit, removed, box }: GroupProps) {
  const nested = path.length > 0;
  const name = nested ? ` of group ${stepLabel(path)}` : '';
  const stepIssues = (p: number[]) => issues.filter((i) => i.target.kind === 'action' && samePath(i.target.steps, p));
  const own = stepIssues(path);
  const ifIssues = own.filter((i) => i.target.kind === 'action' && i.target.field === 'if').map((i) => ({ rest: i.target.rest, message: i.message, position: i.position }));
  // The top group's `if` gates every action of the state; a nested group's, the steps in it.
  const whose = nested ? `group ${stepLabel(path)}` : 'all actions';
  const ifLabel = nested ? `Group ${stepLabel(path)} if` : 'Actions if';
  const setIf = (c: ConditionSource | undefined) => {
    const next: ActionGroup = { ...group, if: c };
    if (c === undefined) delete next.if;
    emit(editSelf(root, path, next));
  };
  return (
    <div ref={box} className={nested ? 'step step-group' : undefined} role={nested ? 'group' : undefined} aria-label={nested ? `Group ${stepLabel(path)}` : undefined}>
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
      {/* Before the steps it gates: when it does not hold, none of them is issued. */}
      {group.steps.length > 0 &&
        (group.if === undefined ? (
          <button type="button" className="link-button" onClick={() => setIf('user.vip == true')}>
            + if for {whose}
          </button>
        ) : (
          <ConditionBuilder label={ifLabel} value={group.if as ConditionSource} issues={ifIssues} onChange={setIf} />
        ))}
      {group.steps.map((s, i) => {
        const p = [...path, i];
        if (isGroup(s)) return <Group key={i} group={s} path={p} root={root} issues={issues} emit={emit} removed={removed} />;
        return (
          <ActionStep
            key={i}
            step={s as Record<string, unknown>}
            path={p}
            issues={stepIssues(p)}
            onChange={(next) => {
              if (next === undefined) removed(p);
              emit(setStep(root, p, next as Step | undefined));
            }}
          />
        );
      })}
      <AddStep label={`Add a step${nested ? ` to group ${stepLabel(path)}` : ''}`} onAdd={(type) => emit(addStep(root, path, NEW_STEP[type]))} />
      {nested && (
        <button
          type="button"
          className="link-button"
          onClick={() => {
            removed(path);
            emit(setStep(root, path, undefined));
          }}
        >
          Remove group {stepLabel(path)}
        </button>
      )}
      <Issues list={own.filter((i) => i.target.kind === 'action' && i.target.field !== 'if')} />
    </div>
  );
}

/**
 * The kind of step to add, then Add: a select that acted on change added a
 * step at every arrow key or typed letter while a keyboard user was only
 * looking through the list (WCAG 3.2.2), as the state panel's "Transition to"
 * and "Add transition" never did.
 */
function AddStep({ label, onAdd }: { label: string; onAdd: (type: string) => void }) {
  const [type, setType] = useState('points');
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div style={{ display: 'flex', gap: 6 }}>
        <select id={id} aria-label={label} value={type} onChange={(e) => setType(e.target.value)}>
          {Object.keys(NEW_STEP).map((t) => (
            <option key={t} value={t}>
              {t === 'group' ? 'nested group' : t}
            </option>
          ))}
        </select>
        <button type="button" aria-label={label.replace('Add a step', 'Add step')} onClick={() => onAdd(type)}>
          Add
        </button>
      </div>
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
  // A message's data issues are shown at their data field (MessageDataEditor); the rest under the step, named by their field.
  const dataIssues = step.type === 'message' ? issues.filter((i) => i.target.kind === 'action' && i.target.field === 'data' && i.target.rest !== '') : [];
  const shownAtField = (i: Issue) => dataIssues.includes(i) && dataFieldOf(step.data, i) !== null;
  const listed = issues.filter((i) => i.target.kind === 'action' && i.target.field !== 'if' && !shownAtField(i)).map((i) => ({ ...i, message: `${fieldWords(i)}${i.message}` }));
  return (
    <div className="step" aria-label={label} role="group">
      <b>{String(step.type)}</b>
      {(STEP_FIELDS[String(step.type)] ?? []).map((f) =>
        f.expression ? (
          <div key={f.name} className="field">
            <span aria-hidden="true">{f.name}</span>
            <ExpressionEditor
              label={`${label} ${f.name}`}
              value={amountWritten(step[f.name])}
              // `1.0` typed on the way to `1.05` stores 1 and stays `1.0` (amountText): rewritten as `1`, the next key made it 15.
              sameAs={(text) => amountText(text, step[f.name]) === text}
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
      {step.type === 'coupon' && (
        <label className="inline">
          <input type="checkbox" aria-label={`${label} unless the user holds one`} checked={step.unlessHolding === true} onChange={(e) => set('unlessHolding', e.target.checked ? true : undefined)} /> Unless
          the user holds an unused one from this pool
        </label>
      )}
      {step.type === 'message' && (
        <MessageDataEditor label={label} data={step.data as Record<string, unknown> | undefined} issues={dataIssues} onChange={(d) => set('data', d)} />
      )}
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
      <Issues list={listed} />
    </div>
  );
}

/** The data field an issue at `<step>.data.<key>…` is about (the longest key that fits: a key may hold a dot), or null. */
function dataFieldOf(data: unknown, issue: Issue): string | null {
  if (issue.target.kind !== 'action' || issue.target.field !== 'data' || data === null || typeof data !== 'object') return null;
  const rest = issue.target.rest;
  const keys = Object.keys(data).sort((a, b) => b.length - a.length);
  return keys.find((k) => rest === k || rest.startsWith(`${k}.`) || rest.startsWith(`${k}[`)) ?? null;
}

/** "data total: ", "amount: ": the field an issue listed under its step is about, in words (CONSOLE.md: errors show their path). */
function fieldWords(i: Issue): string {
  if (i.target.kind !== 'action' || i.target.field === null) return '';
  return `${[i.target.field, i.target.rest].filter(Boolean).join(' ')}: `;
}
