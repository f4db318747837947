import { useEffect, useRef, useState } from 'react';
import { changeComparison, COMPARATOR_WORDS, COMPARATORS, formatComparison, parseComparison, startComparison, type AggregateComparison, type Comparator } from '../../../../src/domain/canvas/comparison';
import { AGGREGATE_FUNCTIONS, type AggregateFn } from '../../../../src/domain/conditions/types';
import { useReportPending } from './pending-fields';
import { EVENT_TYPES_LIST, useVocabulary } from './vocabulary';

/**
 * A condition cell as fields to pick: the aggregate (the compiler's own
 * list), the event type and property (from GET /v1/vocabulary, or typed),
 * the comparator and the number. Every change writes the expression into
 * the cell; the cell's text stays the truth, so a cell that is not this
 * shape shows only "pick a comparison" (which replaces it, undoably).
 * The model is src/domain/canvas/comparison.ts.
 */
const OTHER = '\u0000other';

export function ComparisonPicker({ label, text, onChange }: { label: string; text: string; onChange: (text: string) => void }) {
  const known = useVocabulary()?.eventTypes ?? [];
  const c = parseComparison(text);
  if (!c) {
    return (
      <button type="button" className="link-button small cmp-start" aria-label={`${label}: pick a comparison`} onClick={() => onChange(formatComparison(startComparison(known)))}>
        pick a comparison…
      </button>
    );
  }
  const set = (change: Partial<AggregateComparison>) => onChange(formatComparison(changeComparison(c, change, known)));
  const types = known.map((k) => k.type);
  const props = known.find((k) => k.type === c.eventType)?.properties ?? [];
  return (
    <span className="cmp-picker" role="group" aria-label={`${label} as fields`}>
      <select aria-label={`${label} function`} value={c.fn} onChange={(e) => set({ fn: e.target.value as AggregateFn })}>
        {AGGREGATE_FUNCTIONS.map((f) => (
          <option key={f} value={f}>
            {f}
          </option>
        ))}
      </select>
      <span className="muted small">of</span>
      <NameChoice label={`${label} event type`} value={c.eventType} choices={types} list={EVENT_TYPES_LIST} onChange={(eventType) => set({ eventType })} />
      {c.property !== undefined && <NameChoice label={`${label} property`} value={c.property} choices={props} onChange={(property) => set({ property })} />}
      <select aria-label={`${label} comparator`} value={c.op} onChange={(e) => set({ op: e.target.value as Comparator })}>
        {COMPARATORS.map((op) => (
          <option key={op} value={op}>
            {COMPARATOR_WORDS[op]}
          </option>
        ))}
      </select>
      <NumberField label={`${label} number`} value={c.value} onChange={(value) => set({ value })} />
    </span>
  );
}

/** A name picked from what recent data holds, or typed when it is not there ("other…"). */
function NameChoice({ label, value, choices, list, onChange }: { label: string; value: string; choices: string[]; list?: string; onChange: (v: string) => void }) {
  const [typing, setTyping] = useState(false);
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const asText = typing || choices.length === 0 || !choices.includes(value);
  // Typed and not applied yet (that waits for Enter or leaving the field): Save must not say "Saved", nor leaving go
  // without asking, as for CommitField (pending-fields.ts).
  useReportPending(asText && draft !== value);
  // "other…" replaces the focused select with the field: the focus goes into it (it would drop to the page body).
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (typing) input.current?.focus();
  }, [typing]);
  if (asText) {
    // Committed on Enter or when left: a half-typed name would otherwise be written on every key.
    const done = () => {
      setTyping(false);
      if (draft !== value) onChange(draft);
    };
    return <input ref={input} aria-label={label} list={list} value={draft} placeholder="type" onChange={(e) => setDraft(e.target.value)} onBlur={done} onKeyDown={(e) => e.key === 'Enter' && done()} />;
  }
  return (
    <select aria-label={label} value={value} onChange={(e) => (e.target.value === OTHER ? setTyping(true) : onChange(e.target.value))}>
      {choices.map((x) => (
        <option key={x} value={x}>
          {x}
        </option>
      ))}
      <option value={OTHER}>other…</option>
    </select>
  );
}

/** Whether `draft` is the number `value` as typed (not "", "-" or another number). */
const saysNumber = (draft: string, value: number) => draft.trim() !== '' && Number(draft) === value;

/**
 * The number as typed: "-" or "" on the way to a number writes nothing until
 * it is one. Meanwhile the field holds text the campaign does not (reported
 * as pending, as NameChoice's); left so, it shows the number kept again.
 */
function NumberField({ label, value, onChange }: { label: string; value: number; onChange: (n: number) => void }) {
  const [draft, setDraft] = useState(String(value));
  useReportPending(!saysNumber(draft, value));
  useEffect(() => {
    if (!saysNumber(draft, value)) setDraft(String(value));
    // Only a value changed from outside (undo, the text) resets the draft.
  }, [value]);
  return (
    <input
      type="number"
      aria-label={label}
      value={draft}
      onChange={(e) => {
        setDraft(e.target.value);
        const n = Number(e.target.value);
        if (e.target.value.trim() !== '' && Number.isFinite(n)) onChange(n);
      }}
      onBlur={() => {
        if (!saysNumber(draft, value)) setDraft(String(value));
      }}
    />
  );
}
