import { useState } from 'react';
import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import { useDurationDrafts } from './duration-drafts';
import { readDurationText } from './duration-text';
import { useTouchField } from './touch-field';

interface Props {
  label: string;
  /** The compiler path of the value: where its draft's problem and the compiler's issues are shown. */
  path: string;
  value: string | undefined;
  /** What holds the value (the transition of a wait; a campaign-wide duration's value itself), and where to find it in a definition. */
  holder: unknown;
  findHolder: (def: CampaignInput) => unknown;
  /** Emptying it removes the value (a cooldown); otherwise empty is a problem (an `after` wait). */
  optional: boolean;
  invalid: boolean;
  onChange: (value: string | undefined) => void;
}

/**
 * An ISO 8601 duration (an `after` wait, a cooldown), applied as it is typed
 * whenever it reads as one: Save, another panel or undo see it at once, not
 * on leaving the field. Text that does not read yet stays a draft (its
 * problem shown at the field by the caller, as an issue at `path`) while
 * the campaign keeps its last good duration, so the compiler still reports
 * every other issue.
 */
export function DurationField(props: Props) {
  // One panel follows the selection from transition to transition: keyed by path, each starts from its own text.
  return <DurationInput key={props.path} {...props} />;
}

function DurationInput({ label, path, value, holder, findHolder, optional, invalid, onChange }: Props) {
  const drafts = useDurationDrafts();
  const touch = useTouchField();
  const draft = drafts.get(path);
  // Text that reads as the value (`p3d` for P3D) is shown as typed while the value is the one it gave; a value set elsewhere (undo, YAML) replaces it.
  const [typed, setTyped] = useState<{ text: string; value: string | undefined } | null>(null);
  const text = draft ? draft.text : typed && typed.value === value ? typed.text : (value ?? '');

  const change = (next: string) => {
    const read = readDurationText(next, optional);
    if (!read.ok) {
      drafts.set(path, { text: next, problem: read.problem, label, holder, findHolder });
      return;
    }
    drafts.set(path, null);
    setTyped({ text: next, value: read.value });
    if (read.value !== value) onChange(read.value);
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
