import { useEffect, useRef, useState } from 'react';
import { useDurationDrafts } from './duration-drafts';
import { readDurationText } from './duration-text';
import { useTouchField } from './touch-field';

/**
 * An ISO 8601 duration (an `after` wait, a cooldown), applied as it is typed
 * whenever it reads as one: Save, another panel or undo see it at once, not
 * on leaving the field. Text that does not read yet stays a draft (its
 * problem shown at the field by the caller, as an issue at `path`) while
 * the campaign keeps its last good duration, so the compiler still reports
 * every other issue.
 */
export function DurationField({
  label,
  path,
  value,
  optional,
  invalid,
  onChange,
}: {
  label: string;
  /** The compiler path of the value: where its draft's problem and the compiler's issues are shown. */
  path: string;
  value: string | undefined;
  /** Emptying it removes the value (a cooldown); otherwise empty is a problem (an `after` wait). */
  optional: boolean;
  invalid: boolean;
  onChange: (value: string | undefined) => void;
}) {
  const drafts = useDurationDrafts();
  const touch = useTouchField();
  const kept = drafts.get(path);
  const [text, setText] = useState(() => (kept && kept.base === value ? kept.text : (value ?? '')));
  // The value this field last applied: a different one comes from elsewhere (undo, the YAML tab).
  const applied = useRef(value);
  useEffect(() => {
    // A draft typed before the value changed elsewhere no longer applies.
    // Checked when the field opens only: afterwards the effect below follows the value.
    if (kept && kept.base !== value) drafts.set(path, null);
  }, []);
  useEffect(() => {
    if (value === applied.current) return;
    applied.current = value;
    setText(value ?? '');
    drafts.set(path, null);
  }, [value]);

  const change = (next: string) => {
    setText(next);
    const read = readDurationText(next, optional);
    if (!read.ok) {
      drafts.set(path, { text: next, problem: read.problem, label, base: value });
      return;
    }
    drafts.set(path, null);
    if (read.value !== value) {
      applied.current = read.value;
      onChange(read.value);
    }
  };
  const read = readDurationText(text, optional);
  return (
    <label className="field">
      {label}
      <input
        aria-label={label}
        aria-invalid={invalid || !read.ok}
        className={invalid || !read.ok ? 'invalid' : undefined}
        value={text}
        placeholder={optional ? 'not set' : 'e.g. P3D'}
        onChange={(e) => change(e.target.value)}
        onBlur={() => touch(path)}
      />
      {read.ok && read.words && <span className="muted small" data-testid="duration-words">{read.words}</span>}
    </label>
  );
}
