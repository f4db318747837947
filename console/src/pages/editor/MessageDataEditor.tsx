import { useState } from 'react';
import { addDataField, dataValueText, removeDataField, renameDataField, setDataValue, type MessageData } from '../../../../src/domain/canvas/message-data';
import { CommitField } from './panels';

/**
 * A message step's template data: named fields, each a text that is an
 * expression when it parses as one (`user.firstName`), literal text
 * otherwise. A name is committed when the field is left; a blank or taken
 * name is refused where it was typed.
 */
export function MessageDataEditor({ label, data, onChange }: { label: string; data: MessageData | undefined; onChange: (d: MessageData | undefined) => void }) {
  const [refused, setRefused] = useState<{ key: string; problem: string } | null>(null);
  return (
    <fieldset className="step-data" aria-label={`${label} data`}>
      <legend>data</legend>
      {Object.entries(data ?? {}).map(([key, value]) => (
        <div key={key} className="data-field">
          <CommitField
            label={`${label} data name ${key}`}
            shown="name"
            value={key}
            invalid={refused?.key === key}
            onCommit={(name) => {
              const renamed = renameDataField(data, key, name);
              if ('problem' in renamed) {
                setRefused({ key, problem: renamed.problem });
                return renamed.problem;
              }
              setRefused(null);
              onChange(renamed.data);
              return null;
            }}
          />
          <label className="field">
            value
            <input aria-label={`${label} data ${key}`} value={dataValueText(value)} onChange={(e) => onChange(setDataValue(data, key, e.target.value))} />
          </label>
          <button type="button" className="link-button" onClick={() => onChange(removeDataField(data, key))}>
            Remove data field {key}
          </button>
          {refused?.key === key && (
            <span className="inline-issue" role="alert">
              {refused.problem}
            </span>
          )}
        </div>
      ))}
      <button type="button" className="link-button" onClick={() => onChange(addDataField(data))}>
        + data field
      </button>
    </fieldset>
  );
}
