/**
 * Picks the state a transition or a split branch goes to. A target that names
 * no state (typed in the JSON view, or the state since renamed away) shows as
 * itself, marked missing, rather than as whichever state the browser falls
 * back to: the select would otherwise claim a target the campaign does not have.
 */
export function StateSelect({
  label,
  value,
  states,
  invalid = false,
  onChange,
}: {
  label: string;
  value: string | undefined;
  states: readonly string[];
  /** The compiler has an issue with this target (besides a missing state, which is always marked). */
  invalid?: boolean;
  onChange: (state: string) => void;
}) {
  const missing = value === undefined || !states.includes(value);
  const marked = missing || invalid;
  return (
    <select aria-label={label} aria-invalid={marked} className={marked ? 'invalid' : undefined} value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
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
