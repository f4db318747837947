import { useState } from 'react';
import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import type { TransitionInput } from '../../../../src/domain/canvas/definition-edits';
import { transitionDraft, useDurationDrafts, type DurationDraft, type TransitionField, type TransitionPlace } from './duration-drafts';
import { readDurationText } from './duration-text';
import { useTouchField } from './touch-field';

/**
 * What the draft belongs to: a campaign-wide duration's value itself (and where to find it in a definition), or
 * a transition's wait, whose draft follows its transition (duration-drafts.ts).
 */
type Holder = { holder: unknown; findHolder: (def: CampaignInput) => unknown } | { transition: TransitionInput; place: TransitionPlace; field: TransitionField };

type Props = Holder & {
  label: string;
  /** The compiler path of the value: where its draft's problem and the compiler's issues are shown. */
  path: string;
  value: string | undefined;
  /** Emptying it removes the value (a cooldown); otherwise empty is a problem (an `after` wait). */
  optional: boolean;
  invalid: boolean;
  onChange: (value: string | undefined) => void;
};

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

function DurationInput(props: Props) {
  const { label, path, value, optional, invalid, onChange } = props;
  const drafts = useDurationDrafts();
  const touch = useTouchField();
  const draft = drafts.get(path);
  // Text that reads as the value (`p3d` for P3D) is shown as typed while the value is the one it gave; a value set elsewhere (undo, YAML) replaces it.
  const [typed, setTyped] = useState<{ text: string; value: string | undefined } | null>(null);
  const text = draft ? draft.text : typed && typed.value === value ? typed.text : (value ?? '');

  const change = (next: string) => {
    const read = readDurationText(next, optional);
    if (!read.ok) {
      drafts.set(path, draftOf(props, { text: next, problem: read.problem, label }));
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

/** The draft of this field's text; a transition's at the path its place gives (the same as `path`). */
function draftOf(holder: Holder, typed: { text: string; problem: string; label: string }): DurationDraft {
  if ('transition' in holder) return transitionDraft(holder, typed)[1];
  return { ...typed, holder: holder.holder, findHolder: holder.findHolder };
}
