import { useRef, useState } from 'react';
import { addDataField, dataValueText, removeDataField, renameDataField, setDataText, setDataValue, type MessageData } from '../../../../src/domain/canvas/message-data';
import { firstFocusable, useFocusAfterRemoval } from '../../ui/focus-after-removal';
import type { Issue } from './editor-model';
import { CommitField, Issues } from './panels';

/**
 * A message step's template data: named fields, each a text that is an
 * expression when it parses as one (`user.firstName`), literal text
 * otherwise. A value that is not text (an object, a list, a number) is
 * edited as JSON and read back when the field is left, so it keeps its kind;
 * JSON that does not read is refused there. A name is committed when the
 * field is left; a blank or taken name is refused where it was typed. The
 * compiler's issues in a field's value (`data.<name>…`) are shown under that
 * field, and its value marked invalid.
 */
export function MessageDataEditor({ label, data, issues = [], onChange }: { label: string; data: MessageData | undefined; issues?: Issue[]; onChange: (d: MessageData | undefined) => void }) {
  const [refused, setRefused] = useState<{ key: string; field: 'name' | 'value'; problem: string } | null>(null);
  const refusedAt = (key: string, field: 'name' | 'value') => refused?.key === key && refused.field === field;
  // The longest name that fits: a name may hold a dot, and `a.b` must not be taken for `a`.
  const names = Object.keys(data ?? {}).sort((a, b) => b.length - a.length);
  const fieldOf = (i: Issue) => (i.target.kind === 'action' ? (names.find((k) => i.target.rest === k || i.target.rest.startsWith(`${k}.`) || i.target.rest.startsWith(`${k}[`)) ?? null) : null);
  const issuesAt = (key: string) => issues.filter((i) => fieldOf(i) === key);
  const box = useRef<HTMLFieldSetElement>(null);
  const focusAfterRemoval = useFocusAfterRemoval();
  /** Remove data field goes with its field: the focus goes to the field that took its place, else the one before, else + data field. */
  const remove = (key: string, at: number) => {
    focusAfterRemoval(() => {
      const fields = box.current?.querySelectorAll(':scope > .data-field');
      const near = fields?.[Math.min(at, fields.length - 1)];
      return firstFocusable(near) ?? box.current?.querySelector<HTMLElement>(':scope > button.add-data-field') ?? null;
    });
    onChange(removeDataField(data, key));
  };
  return (
    <fieldset ref={box} className="step-data" aria-label={`${label} data`}>
      <legend>data</legend>
      {Object.entries(data ?? {}).map(([key, value], at) => (
        <div key={key} className="data-field">
          <CommitField
            label={`${label} data name ${key}`}
            shown="name"
            value={key}
            invalid={refusedAt(key, 'name')}
            onCommit={(name) => {
              const renamed = renameDataField(data, key, name);
              if ('problem' in renamed) {
                setRefused({ key, field: 'name', problem: renamed.problem });
                return renamed.problem;
              }
              setRefused(null);
              onChange(renamed.data);
              return null;
            }}
          />
          {typeof value === 'string' ? (
            <label className="field">
              value
              <input
                aria-label={`${label} data ${key}`}
                aria-invalid={issuesAt(key).length > 0 || undefined}
                className={issuesAt(key).length > 0 ? 'invalid' : undefined}
                value={value}
                onChange={(e) => onChange(setDataText(data, key, e.target.value))}
              />
            </label>
          ) : (
            // Committed when left: JSON half typed does not read, and must not be refused at every key.
            <CommitField
              label={`${label} data ${key}`}
              shown="value (JSON)"
              value={dataValueText(value)}
              invalid={refusedAt(key, 'value') || issuesAt(key).length > 0}
              onCommit={(text) => {
                const set = setDataValue(data, key, text);
                if ('problem' in set) {
                  setRefused({ key, field: 'value', problem: set.problem });
                  return set.problem;
                }
                setRefused(null);
                onChange(set.data);
                return null;
              }}
            />
          )}
          <button type="button" className="link-button" onClick={() => remove(key, at)}>
            Remove data field {key}
          </button>
          <Issues list={issuesAt(key)} />
          {refused !== null && refused.key === key && (
            <span className="inline-issue" role="alert">
              {refused.problem}
            </span>
          )}
        </div>
      ))}
      <button type="button" className="link-button add-data-field" onClick={() => onChange(addDataField(data))}>
        + data field
      </button>
    </fieldset>
  );
}

