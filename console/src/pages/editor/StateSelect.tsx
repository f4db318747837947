/**
 * Picks the state a transition or a split branch goes to. A target that names
 * no state (typed in the JSON view, or the state since renamed away) shows as
 * itself, marked missing, rather than as whichever state the browser falls
 * back to: the select would otherwise claim a target the campaign does not have.
 */
export function StateSelect({ label, value, states, onChange }: { label: string; value: string | undefined; states: readonly string[]; onChange: (state: string) => void }) {
  const missing = value === undefined || !states.includes(value);
  return (
    <select aria-label={label} aria-invalid={missing} className={missing ? 'invalid' : undefined} value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
      {missing && (
        <option value={value ?? ''} disabled>
          {value ? `${value} (no such state)` : 'Choose a state'}
        </option>
      )}
      {states.map((s) => (
        <option key={s} value={s}>
          {s}
        </option>
      ))}
    </select>
  );
}
