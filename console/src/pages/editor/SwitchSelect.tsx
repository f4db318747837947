import { useId, useRef, useState } from 'react';

/**
 * A select that switches a kind (a transition's Trigger, the entry's Starts on,
 * participation's Mode). A pick that drops nothing applies at once (Undo
 * takes it back). A pick that would drop something the operator typed is
 * only staged: the select shows it, and beside it a question names what goes,
 * with *Switch* and *Keep*. So the arrow keys on a closed select, which change
 * its value at each press in Chromium, browse the kinds without dropping
 * anything (WCAG 3.2.2, On Input), and no dialog interrupts them.
 *
 * `holder`: the object the kind belongs to (the transition, `entry`); a
 * staged pick is forgotten once it changes otherwise (Undo, another field).
 */
export function SwitchSelect<K extends string>({
  label,
  value,
  options,
  holder,
  question,
  onSwitch,
}: {
  label: string;
  value: K;
  options: Array<{ value: K; text: string }>;
  holder: unknown;
  /** What switching to `kind` would drop, as the question to ask ("… drops the condition "x" …"); null: nothing is lost. */
  question: (kind: K) => string | null;
  onSwitch: (kind: K) => void;
}) {
  const [staged, setStaged] = useState<{ kind: K; holder: unknown } | null>(null);
  const select = useRef<HTMLSelectElement>(null);
  const id = useId();
  const pending = staged !== null && staged.holder === holder && staged.kind !== value ? staged.kind : null;
  const asked = pending === null ? null : question(pending);
  const answer = (yes: boolean) => {
    if (yes && pending !== null) onSwitch(pending);
    setStaged(null);
    // The question goes with its buttons: focus goes back to the select, not to the page.
    select.current?.focus();
  };
  return (
    <div className="switch-select">
      <label className="field">
        {label}
        <select
          ref={select}
          aria-label={label}
          value={pending !== null && asked !== null ? pending : value}
          aria-describedby={asked !== null ? id : undefined}
          onChange={(e) => {
            const kind = e.target.value as K;
            if (kind === value || question(kind) !== null) {
              setStaged(kind === value ? null : { kind, holder });
              return;
            }
            setStaged(null);
            onSwitch(kind);
          }}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.text}
            </option>
          ))}
        </select>
      </label>
      {pending !== null && asked !== null && (
        <div className="notice small switch-question" data-testid={`switch-${label}`}>
          <span id={id} role="status">
            {asked}
          </span>{' '}
          <button type="button" onClick={() => answer(true)}>
            Switch
          </button>{' '}
          <button type="button" onClick={() => answer(false)}>
            Keep
          </button>
        </div>
      )}
    </div>
  );
}
