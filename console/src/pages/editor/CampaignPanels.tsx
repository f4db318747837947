import { useRef, type ReactNode } from 'react';
import type { CampaignInput, ConditionSource } from '../../../../src/domain/campaign/schema';
import { campaignField, issuesAt, setCampaignField } from '../../../../src/domain/canvas/campaign-fields';
import { isObject } from '../../../../src/domain/is-object';
import { firstFocusable, useFocusAfterRemoval } from '../../ui/focus-after-removal';
import { ConditionBuilder } from './ConditionBuilder';
import { DurationField } from './DurationField';
import type { Issue } from './editor-model';
import { modeOf, switchMode, type ParticipationMode } from '../../../../src/domain/canvas/participation-mode';
import { entryKindOf, switchEntry, type EntryFields, type EntryKind } from './entry-kind';
import { CommitField, Issues } from './panels';
import { SwitchSelect } from './SwitchSelect';
import { EVENT_TYPES_LIST, useVocabulary } from './vocabulary';

/**
 * The campaign-wide side panels (CAMPAIGNS.md, "Entry, audience,
 * participation"): entry, audience, participation caps, exitOn and the
 * schedule with quiet hours, each field edited without JSON and its
 * compiler issues shown under it (by path, via issuesAt).
 */

const list = (v: unknown): string => (Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? v : '');
const parseList = (text: string): string[] => text.split(',').map((s) => s.trim()).filter(Boolean);
/** Empty is "not set"; a number is a number; anything else goes as typed, for the compiler to name. */
const numberOrText = (text: string): unknown => (text.trim() === '' ? undefined : /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text.trim());
const textOrUnset = (text: string): string | undefined => (text.trim() === '' ? undefined : text.trim());
const show = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

function Section({ title, children, open }: { title: string; children: ReactNode; open?: boolean }) {
  return (
    <details className="panel" aria-label={title} open={open}>
      <summary>
        <h2 style={{ display: 'inline', fontSize: 'inherit' }}>{title}</h2>
      </summary>
      {children}
    </details>
  );
}

export function CampaignPanels({ def, issues, onChange }: { def: CampaignInput; issues: Issue[]; onChange: (d: CampaignInput) => void }) {
  const vocabulary = useVocabulary();
  const set = (path: string[], value: unknown) => onChange(setCampaignField(def, path, value));
  const get = (path: string[]) => campaignField(def, path);
  const at = (path: string) => issuesAt(issues, path);
  /** A text field for one nested value; its issues come from the same path. */
  const field = (label: string, path: string[], parse: (t: string) => unknown = textOrUnset) => (
    <>
      <CommitField label={label} path={path.join('.')} value={show(get(path))} invalid={at(path.join('.')).length > 0} onCommit={(t) => set(path, parse(t))} />
      <Issues list={at(path.join('.'))} />
    </>
  );
  /** A duration, applied as typed when it reads as one (DurationField); emptied, it is not set. */
  const duration = (label: string, path: string[]) => (
    <>
      <DurationField
        label={label}
        path={path.join('.')}
        value={get(path) === undefined ? undefined : show(get(path))}
        holder={get(path)}
        findHolder={(d) => campaignField(d, path)}
        optional
        invalid={at(path.join('.')).length > 0}
        onChange={(v) => set(path, v)}
      />
      <Issues list={at(path.join('.'))} />
    </>
  );
  const condition = (label: string, path: string, value: ConditionSource | undefined, onCond: (c: ConditionSource | undefined) => void, addText: string, seed: string) =>
    value === undefined ? (
      <button type="button" className="link-button" onClick={() => onCond(seed)}>
        {addText}
      </button>
    ) : (
      <ConditionBuilder label={label} value={value} issues={at(path)} onChange={onCond} />
    );

  // Absent while typed in the JSON or YAML tab (it is required: the compiler says so): its fields are empty meanwhile.
  const entry = (isObject(def.entry) ? def.entry : {}) as EntryFields;
  const batch = entryKindOf(entry) === 'cron';
  const exitOn = (def.exitOn ?? []) as Array<{ on: string; if?: ConditionSource }>;
  const setExit = (next: typeof exitOn) => set(['exitOn'], next.length === 0 ? undefined : next);
  const mode = modeOf(def);
  const addExit = useRef<HTMLButtonElement>(null);
  const focusAfterRemoval = useFocusAfterRemoval();
  /** Remove exit rule goes with its rule: the focus goes to the rule that took its place (its event), else to + exit event. */
  const removeExit = (n: number) => {
    focusAfterRemoval(() => firstFocusable(addExit.current?.parentElement?.querySelector(`[role="group"][aria-label="Exit rule ${n + 1}"]`)) ?? addExit.current);
    setExit(exitOn.filter((_, m) => m !== n));
  };

  return (
    <>
      <datalist id={EVENT_TYPES_LIST}>
        {(vocabulary?.eventTypes ?? []).map((e) => (
          <option key={e.type} value={e.type} />
        ))}
      </datalist>
      <Section title="Entry" open>
        {/* The other kind cannot hold the events and condition (or the cron) typed: asked beside the select, and the operator may keep the entry as it is. */}
        <SwitchSelect<EntryKind>
          label="Starts on"
          value={batch ? 'cron' : 'event'}
          options={[
            { value: 'event', text: 'an event' },
            { value: 'cron', text: 'a schedule (cron, every matching profile)' },
          ]}
          holder={def.entry}
          question={(kind) => switchEntry(entry, kind).confirm}
          onSwitch={(kind) => onChange({ ...def, entry: switchEntry(entry, kind).entry } as CampaignInput)}
        />
        {batch ? (
          <>
            {field('Cron', ['entry', 'cron'])}
            {field('Cron time zone', ['entry', 'timezone'])}
          </>
        ) : (
          <>
            <CommitField
              label="Entry events"
              path="entry.on"
              value={list(entry.on)}
              invalid={at('entry.on').length > 0}
              onCommit={(text) => {
                const on = parseList(text);
                set(['entry', 'on'], on.length === 0 ? undefined : on.length === 1 ? on[0] : on);
              }}
            />
            <Issues list={at('entry.on')} />
            {condition('Entry condition', 'entry.if', entry.if, (c) => set(['entry', 'if'], c), '+ entry condition', 'event.amount > 0')}
          </>
        )}
        <Issues list={issues.filter((i) => i.path === 'entry')} />
      </Section>

      <Section title="Audience">
        <p className="muted small">A condition on user.* (the stored profile), checked at entry.</p>
        {condition('Audience', 'audience', def.audience, (c) => set(['audience'], c), '+ audience', 'user.level >= 1')}
      </Section>

      <Section title="Participation">
        {field('Max entries per user', ['participation', 'maxEntries'], numberOrText)}
        {duration('Cooldown between entries (ISO duration)', ['participation', 'cooldown'])}
        {field('At most entries', ['participation', 'frequency', 'max'], numberOrText)}
        {duration('within (ISO duration)', ['participation', 'frequency', 'per'])}
        <Issues list={issuesAt(issues, 'participation.frequency').filter((i) => i.rest === '')} />
        {/* Serial mode takes no maxActive but 1: switching removes it, asking first when it is another number. */}
        <SwitchSelect<ParticipationMode>
          label="Mode"
          value={mode}
          options={[
            { value: 'serial', text: 'serial: one active path per user' },
            { value: 'parallel', text: 'parallel: several paths at once' },
          ]}
          holder={def.participation}
          question={(m) => {
            const { lost } = switchMode(def, m);
            return lost === null ? null : `Serial mode has one active path per user: switching drops ${lost} (Undo brings it back). Switch?`;
          }}
          onSwitch={(m) => onChange(switchMode(def, m).def)}
        />
        {/* Also in serial mode while it holds a value (typed in the JSON or YAML tab): its issue needs a field to be fixed at. */}
        {(mode === 'parallel' || get(['participation', 'maxActive']) !== undefined) && field('Max active paths', ['participation', 'maxActive'], numberOrText)}
        <Issues list={issues.filter((i) => i.path === 'participation')} />
      </Section>

      <Section title="Exit on">
        <p className="muted small">Events that end every active path of the user in this campaign.</p>
        {exitOn.map((rule, n) => (
          <div key={n} className="step" role="group" aria-label={`Exit rule ${n + 1}`}>
            <CommitField
              label={`Exit event ${n + 1}`}
              path={`exitOn[${n}].on`}
              list={EVENT_TYPES_LIST}
              value={rule.on}
              invalid={at(`exitOn[${n}].on`).length > 0}
              onCommit={(on) => setExit(exitOn.map((r, m) => (m === n ? { ...r, on } : r)))}
            />
            <Issues list={at(`exitOn[${n}].on`)} />
            {condition(
              `Exit ${n + 1} condition`,
              `exitOn[${n}].if`,
              rule.if,
              (c) => setExit(exitOn.map((r, m) => (m === n ? (c === undefined ? { on: r.on } : { ...r, if: c }) : r))),
              '+ condition',
              'true',
            )}
            <button type="button" className="link-button" onClick={() => removeExit(n)}>
              Remove exit rule {n + 1}
            </button>
          </div>
        ))}
        <button type="button" className="link-button" ref={addExit} onClick={() => setExit([...exitOn, { on: 'user.unsubscribed' }])}>
          + exit event
        </button>
        <Issues list={issues.filter((i) => i.path === 'exitOn')} />
      </Section>

      <Section title="Schedule">
        {field('Starts at', ['schedule', 'startsAt'])}
        {field('Ends at', ['schedule', 'endsAt'])}
        {field('Time zone', ['schedule', 'timezone'])}
        {/* As docs/campaigns.md says it (schedule.quietHours): a night-time message before a reward holds the reward until morning. */}
        <p className="muted small" data-testid="quiet-hours-words">
          Quiet hours: messages wait until they end, and what comes after a waiting message waits with it: the later steps of its serial or priority group and the transitions out of its state. A reward after it, or in the state it leads to, waits for it too (docs/campaigns.md, schedule.quietHours).
        </p>
        {field('Quiet from (HH:MM)', ['schedule', 'quietHours', 'from'])}
        {field('Quiet to (HH:MM)', ['schedule', 'quietHours', 'to'])}
        <Issues list={issues.filter((i) => i.path === 'schedule' || i.path === 'schedule.quietHours')} />
      </Section>
    </>
  );
}
