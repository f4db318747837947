import { useEffect, useRef, useState } from 'react';
import { joinPath } from '../../../../src/domain/issues';
import type { ActionGroup, CampaignInput } from '../../../../src/domain/campaign/schema';
import { changeKind, setTrigger, triggerOf, weightOf, whenTrigger, withBranchAdded, withBranchRemoved, type Branch, type Trigger } from '../../../../src/domain/canvas/triggers';
import { statesLeadingInto, type TransitionInput } from '../../../../src/domain/canvas/definition-edits';
import { ActionGroupEditor } from './ActionGroupEditor';
import { ConditionBuilder } from './ConditionBuilder';
import { SwitchSelect } from './SwitchSelect';
import { StateSelect } from './StateSelect';
import { DurationField } from './DurationField';
import { transitionDraft, transitionFieldPath, transitionPath, useDurationDrafts, withoutBranch, type BranchMap, type TransitionField } from './duration-drafts';
import type { Issue } from './editor-model';
import { useReportPending } from './pending-fields';
import { useTouchField } from './touch-field';
import { EVENT_TYPES_LIST } from './vocabulary';

/** Issues shown under a field. */
export function Issues({ list }: { list: Issue[] }) {
  if (list.length === 0) return null;
  // The alert wraps the list: as the list's own role it would hide that these are list items.
  return (
    <div role="alert">
      <ul className="inline-issues">
        {list.map((i, n) => (
          <li key={n} className="inline-issue" data-path={i.path}>
            {i.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A text field that changes the definition when left or on Enter (a rename per keystroke would fill the undo history). */
export function CommitField({
  label,
  shown,
  value,
  onCommit,
  invalid,
  list,
  path,
  onEdit,
}: {
  label: string;
  /** Told of every keystroke (a refusal shown for the last value clears as the operator types). */
  onEdit?: () => void;
  /** The compiler path of the value, so leaving the field shows its issues (touched.ts). */
  path?: string;
  /** The visible label when it is shorter than the accessible one (a field in a list of its kind). */
  shown?: string;
  value: string;
  /** Applies the text; a refusal gives back why (a string), and Save then refuses until the text is fixed. */
  onCommit: (v: string) => string | null | void;
  invalid?: boolean;
  /** A datalist id for suggestions. */ list?: string;
}) {
  const [text, setText] = useState(value);
  const touch = useTouchField();
  const reportRefused = useReportPending(text !== value);
  // Another value (applied, or another state's panel): the text typed for the old one, refused or not, is gone.
  useEffect(() => {
    setText(value);
    reportRefused(null);
  }, [value, reportRefused]);
  const commit = () => {
    const refused = onCommit(text);
    reportRefused(typeof refused === 'string' ? { label, text, why: refused } : null);
  };
  return (
    <label className="field">
      {shown ?? label}
      <input
        aria-label={label}
        aria-invalid={invalid}
        list={list}
        className={invalid ? 'invalid' : undefined}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          // Text typed after a refusal is only pending: leaving the field (pressing Save too) tries it again.
          reportRefused(null);
          onEdit?.();
        }}
        onBlur={() => {
          if (path !== undefined) touch(path);
          if (text !== value) commit();
        }}
        onKeyDown={(e) => e.key === 'Enter' && text !== value && commit()}
      />
    </label>
  );
}

const fieldIssues = (issues: Issue[], field: string) => issues.filter((i) => i.target.kind === 'campaign' && i.target.field === field);

/**
 * Key and name; entry, audience, participation, exitOn and schedule have their own panels (CampaignPanels.tsx).
 * A saved campaign's key is shown, not edited: the key is the campaign, so another key would be another campaign.
 */
export function CampaignPanel({ def, issues, keyFixed, onChange }: { def: CampaignInput; issues: Issue[]; keyFixed: boolean; onChange: (d: CampaignInput) => void }) {
  return (
    <div className="panel" role="region" aria-label="Campaign fields">
      <h2>Campaign</h2>
      {keyFixed ? (
        <>
          <label className="field">
            Key
            <input aria-label="Key" value={def.key} readOnly aria-describedby="campaign-key-fixed" />
          </label>
          <p id="campaign-key-fixed" className="muted small">
            A saved campaign keeps its key: another key would be another campaign.
          </p>
        </>
      ) : (
        <CommitField label="Key" path="key" value={def.key} invalid={fieldIssues(issues, 'key').length > 0} onCommit={(key) => onChange({ ...def, key })} />
      )}
      <Issues list={fieldIssues(issues, 'key')} />
      <CommitField label="Name" path="name" value={def.name} invalid={fieldIssues(issues, 'name').length > 0} onCommit={(name) => onChange({ ...def, name })} />
      <Issues list={fieldIssues(issues, 'name')} />
      <Issues list={issues.filter((i) => i.target.kind === 'campaign' && !['key', 'name', 'entry', 'exitOn', 'participation', 'audience', 'schedule'].includes(i.target.field ?? ''))} />
    </div>
  );
}

export function StatePanel({
  def,
  name,
  issues,
  onRename,
  onEnd,
  onInitial,
  onDelete,
  onActions,
  onAddTransition,
}: {
  def: CampaignInput;
  name: string;
  issues: Issue[];
  /** Renames the state; gives back why not when the name is refused (shown under the field, not in the page's banner). */
  onRename: (to: string) => string | null;
  onEnd: (end: boolean) => void;
  onInitial: () => void;
  onDelete: () => void;
  onActions: (a: ActionGroup | undefined) => void;
  /** A new transition from this state, as dragging one on the canvas makes: the keyboard's way to draw it. */
  onAddTransition: (to: string) => void;
}) {
  const state = def.states[name];
  const [target, setTarget] = useState('');
  const [renameRefused, setRenameRefused] = useState<string | null>(null);
  // Another state selected: its field starts clean.
  useEffect(() => setRenameRefused(null), [name]);
  const group = state.actions as ActionGroup | undefined;
  const mine = issues.filter((i) => (i.target.kind === 'state' || i.target.kind === 'action') && i.target.state === name);
  const leadingIn = statesLeadingInto(def, name);
  return (
    <div className="panel" role="region" aria-label={`State ${name}`}>
      <h2>State {name}</h2>
      <CommitField
        label="State name"
        path={joinPath('states', name)}
        value={name}
        onCommit={(to) => {
          const refused = onRename(to);
          setRenameRefused(refused);
          return refused;
        }}
        onEdit={() => setRenameRefused(null)}
        invalid={renameRefused !== null}
      />
      {renameRefused !== null && <Issues list={[{ path: joinPath('states', name), message: `Not renamed: ${renameRefused}`, target: { kind: 'state', state: name, field: null, rest: '' } }]} />}
      <label className="inline">
        <input type="checkbox" checked={state.end === true} onChange={(e) => onEnd(e.target.checked)} /> End state
      </label>{' '}
      <button type="button" disabled={def.initial === name} onClick={onInitial}>
        {def.initial === name ? 'Initial state' : 'Make initial'}
      </button>{' '}
      <button
        type="button"
        className="danger"
        disabled={def.initial === name}
        aria-describedby={def.initial === name ? 'initial-kept' : undefined}
        onClick={onDelete}
      >
        Delete state
      </button>
      {/* Said in the panel, not in a tooltip: a disabled button takes no focus, so a keyboard never shows its title. */}
      {def.initial === name && (
        <p className="muted small" id="initial-kept">
          The initial state cannot be deleted: make another state initial first.
        </p>
      )}
      {leadingIn.length > 0 && def.initial !== name && (
        <p className="muted small" data-testid="delete-takes-along">
          Deleting it also removes the transitions into it from {leadingIn.join(', ')} (a split keeps its other branches). Undo brings them back.
        </p>
      )}
      <Issues list={mine.filter((x) => x.target.kind === 'state')} />
      {state.end !== true && (
        <div className="row">
          <label className="inline">
            Transition to{' '}
            <select aria-label={`New transition from ${name} to`} value={target} onChange={(e) => setTarget(e.target.value)}>
              <option value="">choose a state</option>
              {Object.keys(def.states).map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>{' '}
          <button type="button" disabled={target === ''} onClick={() => (onAddTransition(target), setTarget(''))}>
            Add transition
          </button>
        </div>
      )}
      <h3>Actions on entry</h3>
      <ActionGroupEditor top={group} issues={mine} onChange={onActions} />
    </div>
  );
}

const KINDS: Array<Trigger['kind']> = ['event', 'when', 'after', 'at', 'immediate', 'split'];

/** "1st", "2nd", "3rd", "11th": a transition's place in its state's order. */
export const ordinal = (n: number) => {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
};

export function TransitionPanel({
  def,
  from,
  index,
  issues,
  onChange,
  onDelete,
  onMove,
  entryOn,
}: {
  def: CampaignInput;
  from: string;
  index: number;
  issues: Issue[];
  /** Replaces the transition; false when the edit was refused (the campaign is unchanged). */
  onChange: (t: TransitionInput) => boolean;
  onDelete: () => void;
  /** Moves the transition to another place in its state's order (the first that fires wins). */
  onMove: (toIndex: number) => void;
  /** The event type a new `event` trigger starts with (the campaign's first entry event), as a drawn transition's does. */
  entryOn: string;
}) {
  const t = def.states[from]?.transitions?.[index];
  const drafts = useDurationDrafts();
  // The event type this transition had, so that trying another kind and coming back to `event` gives it back;
  // likewise its wait, time, branches and `when` (changeKind names what a switch drops, and these come back).
  const lastOn = useRef<string | null>(null);
  if (t?.on !== undefined) lastOn.current = t.on;
  const last = useRef<{ after?: string; at?: string; branches?: Branch[]; when?: TransitionInput['when'] }>({});
  if (t?.after !== undefined) last.current.after = t.after;
  if (t?.at !== undefined) last.current.at = t.at;
  if (t?.split !== undefined) last.current.branches = t.split;
  if (t?.when !== undefined) last.current.when = t.when;
  if (!t) return null;
  const trigger = triggerOf(t);
  const count = def.states[from]?.transitions?.length ?? 1;
  const mine = issues.filter((i) => i.target.kind === 'transition' && i.target.state === from && i.target.index === index);
  const sub = (field: string) => mine.filter((i) => i.target.kind === 'transition' && i.target.field === field).map((i) => ({ rest: i.target.rest, message: i.message, position: i.position }));
  /**
   * A draft (duration-drafts.ts) belongs to this transition: replaced here (another branch, where it goes), the
   * transition's drafts go to its new object, so Save goes on refusing what the fields show, instead of storing
   * the value a draft was typed to replace. An edit or undo elsewhere that replaces it still drops them.
   */
  const replace = (next: TransitionInput, branchOf?: BranchMap) => {
    if (onChange(next)) drafts.carry(t, next, branchOf);
  };
  const set = (next: Trigger, branchOf?: BranchMap) => replace(setTrigger(t, next), branchOf);
  const to = t.to ?? t.split?.[0]?.to ?? from;
  const at = { state: from, index };
  const place = transitionPath(at);
  const states = Object.keys(def.states);
  const fieldAt = (field: TransitionField) => ({ transition: t, place: at, field });
  const whenPath = transitionFieldPath(at, { kind: 'when' });
  const emptied = trigger.kind === 'when' ? drafts.get(whenPath) : undefined;
  const weightPath = (n: number) => transitionFieldPath(at, { kind: 'weight', branch: n });
  const kindChange = (kind: Trigger['kind']) =>
    changeKind(trigger, kind, { to, on: lastOn.current ?? entryOn, at: last.current.at ?? new Date(Date.now() + 86_400_000).toISOString(), ...last.current });
  return (
    <div className="panel" role="region" aria-label="Transition">
      <h2>
        Transition {from} → {t.split ? t.split.map((b) => b.to).join(' / ') : t.to}
      </h2>
      {/* The first transition that fires wins: the order is part of what the campaign does. */}
      <div className="row">
        {/* A status: after Move earlier or later, a screen reader hears the new place. */}
        <span data-testid="transition-rank" role="status">
          Checked {ordinal(index + 1)} of {count}
        </span>{' '}
        <button type="button" disabled={index === 0} onClick={() => onMove(index - 1)}>
          Move earlier
        </button>{' '}
        <button type="button" disabled={index >= count - 1} onClick={() => onMove(index + 1)}>
          Move later
        </button>
      </div>
      {t.split === undefined && (
        <label className="field">
          Goes to
          <StateSelect label="Goes to" value={t.to} states={states} onChange={(to) => replace({ ...t, to })} />
        </label>
      )}
      {/* A kind that cannot hold what was typed (a condition, a wait, a split's other branches) is asked about beside the select, not switched. */}
      <SwitchSelect
        label="Trigger"
        value={trigger.kind}
        options={KINDS.map((k) => ({ value: k, text: k }))}
        holder={t}
        question={(kind) => {
          const { lost } = kindChange(kind);
          return lost === null ? null : `A "${kind}" trigger cannot hold it: switching drops ${lost} (Undo brings it back). Switch?`;
        }}
        onSwitch={(kind) => set(kindChange(kind).trigger)}
      />
      {trigger.kind === 'event' && (
        <>
          <CommitField label="Event type" path={`${place}.on`} list={EVENT_TYPES_LIST} value={trigger.on} invalid={sub('on').length > 0} onCommit={(on) => set({ ...trigger, on })} />
          <ConditionBuilder label="Condition (if)" value={trigger.if} issues={sub('if')} onChange={(c) => set(c === undefined ? { kind: 'event', on: trigger.on } : { ...trigger, if: c })} />
          {trigger.if === undefined && (
            <button type="button" className="link-button" onClick={() => set({ ...trigger, if: 'event.amount >= 20' })}>
              + condition
            </button>
          )}
        </>
      )}
      {trigger.kind === 'immediate' && (
        <ConditionBuilder label="Condition (if)" value={trigger.if} issues={sub('if')} onChange={(c) => set(c === undefined ? { kind: 'immediate' } : { ...trigger, if: c })} />
      )}
      {trigger.kind === 'when' && (
        <ConditionBuilder
          label="Condition (when)"
          required
          value={emptied ? undefined : trigger.when}
          issues={sub('when')}
          onChange={(c) => {
            const next = whenTrigger(c);
            if (next !== null) {
              drafts.set(whenPath, null);
              set(next);
              return;
            }
            // An empty `when` is not `true` (that moves everyone on at once): the campaign keeps its last condition and Save refuses until a row is added.
            drafts.set(...transitionDraft(fieldAt({ kind: 'when' }), { text: '', problem: 'the condition is empty: add a row, or choose another trigger' }));
          }}
        />
      )}
      {trigger.kind === 'after' && (
        <DurationField
          label="After (ISO duration)"
          path={`${place}.after`}
          value={trigger.after}
          {...fieldAt({ kind: 'after' })}
          optional={false}
          invalid={sub('after').length > 0}
          onChange={(after) => set({ kind: 'after', after: after ?? '' })}
        />
      )}
      {trigger.kind === 'at' && <CommitField label="At (timestamp)" path={`${place}.at`} value={trigger.at} invalid={sub('at').length > 0} onCommit={(at) => set({ kind: 'at', at })} />}
      {trigger.kind === 'split' && (
        <SplitBranches
          branches={trigger.branches}
          states={states}
          weightDraft={(n) => drafts.get(weightPath(n))}
          onWeightDraft={(n, text) =>
            text === null ? drafts.set(weightPath(n), null) : drafts.set(...transitionDraft(fieldAt({ kind: 'weight', branch: n }), { text, problem: 'the weight is empty: type a number' }))
          }
          onChange={(branches, branchOf) => set({ kind: 'split', branches }, branchOf)}
          issuesOf={(n) => mine.filter((i) => i.target.kind === 'transition' && i.target.branch === n)}
        />
      )}
      {/* A branch's own issues are said under that branch. */}
      <Issues list={mine.filter((i) => i.target.kind === 'transition' && i.target.branch === undefined && !['if', 'when'].includes(i.target.field ?? ''))} />
      <button type="button" className="danger" onClick={onDelete}>
        Delete transition
      </button>
    </div>
  );
}

/** A split's branches: each one's target and weight, one added to a state no branch takes yet, and any but the last removed. */
function SplitBranches({
  branches,
  states,
  weightDraft,
  onWeightDraft,
  onChange,
  issuesOf,
}: {
  branches: Branch[];
  states: string[];
  /** The compiler's issues of branch `n` (its weight, its target). */
  issuesOf: (n: number) => Issue[];
  weightDraft: (n: number) => { text: string } | undefined;
  /** An emptied weight kept as typed (null: none any more), instead of written as 0. */
  onWeightDraft: (n: number, text: string | null) => void;
  /** The split's branches after an edit; `branchOf` renumbers the others' drafts when one is removed. */
  onChange: (branches: Branch[], branchOf?: BranchMap) => void;
}) {
  const added = withBranchAdded(branches, states);
  return (
    <div>
      {branches.map((b, n) => {
        const draft = weightDraft(n);
        const own = issuesOf(n);
        const weightInvalid = draft !== undefined || own.some((i) => i.target.kind === 'transition' && i.target.field === 'weight');
        return (
          <div key={n} className="split-branch">
            <StateSelect
              label={`Branch ${n + 1} to`}
              value={b.to}
              states={states}
              invalid={own.some((i) => i.target.kind === 'transition' && i.target.field === 'to')}
              onChange={(to) => onChange(branches.map((x, m) => (m === n ? { ...x, to } : x)))}
            />
            <input
              type="number"
              aria-label={`Branch ${n + 1} weight`}
              aria-invalid={weightInvalid}
              className={weightInvalid ? 'invalid' : undefined}
              value={draft ? draft.text : b.weight}
              onChange={(e) => {
                const weight = weightOf(e.target.value);
                if (weight === null) {
                  onWeightDraft(n, e.target.value);
                  return;
                }
                onWeightDraft(n, null);
                onChange(branches.map((x, m) => (m === n ? { ...x, weight } : x)));
              }}
            />{' '}
            <button
              type="button"
              className="link-button"
              aria-label={`Remove branch ${n + 1}`}
              disabled={branches.length <= 1}
              title={branches.length <= 1 ? 'The only branch: delete the transition instead' : undefined}
              onClick={() => {
                const rest = withBranchRemoved(branches, n);
                if (rest) onChange(rest, withoutBranch(n));
              }}
            >
              ✕
            </button>
            <Issues list={own.map((i) => ({ ...i, message: `Branch ${n + 1}: ${i.message}` }))} />
          </div>
        );
      })}
      <button type="button" className="link-button" disabled={added === null} onClick={() => added && onChange(added)}>
        + branch
      </button>
      {added === null && <p className="muted small">Every state has a branch already.</p>}
    </div>
  );
}
