import { useId, useRef, useState, type ReactNode } from 'react';

/** Keys that open a closed select's list: a pick from the open list is made on purpose (Enter or a click). */
const OPENS_LIST = new Set([' ', 'F4']);

/**
 * A select of versions that changes the page only on a deliberate pick: an
 * option clicked, or Enter. The arrow keys (and type-ahead) on a closed
 * select change its value at each press in Chromium; a version reached so is
 * only staged: the select shows it, with a button beside it (Enter does the
 * same, Escape puts the shown one back). So browsing the versions by keyboard
 * loads no graph and adds no history entry (WCAG 3.2.2, On Input), as the
 * canvas's kind selects (SwitchSelect) browse without acting.
 *
 * `value`: the version the page shows; a staged pick is forgotten once it
 * changes otherwise (Back, a link). `action`: the button's words for a
 * version ("Show v3").
 */
export function VersionSelect({ label, value, onPick, action, children }: { label: string; value: number | null; onPick: (version: number) => void; action: (version: number) => string; children: ReactNode }) {
  const [staged, setStaged] = useState<{ version: number; over: number | null } | null>(null);
  // Whether the last thing done to the select was a key that changes a closed select's value (not a click, not one
  // that opens its list): set on keydown, which comes before the change it causes.
  const byKey = useRef(false);
  const hint = useId();
  const pending = staged !== null && staged.over === value && staged.version !== value ? staged.version : null;
  const pick = (version: number) => {
    setStaged(null);
    onPick(version);
  };
  return (
    <span className="version-select">
      <select
        aria-label={label}
        aria-describedby={pending !== null ? hint : undefined}
        value={pending ?? value ?? ''}
        onPointerDown={() => (byKey.current = false)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            if (pending === null) return;
            e.preventDefault();
            pick(pending);
          } else if (e.key === 'Escape') {
            if (pending === null) return;
            e.preventDefault();
            setStaged(null);
          } else if (e.key !== 'Tab' && e.key !== 'Shift') {
            byKey.current = !(OPENS_LIST.has(e.key) || (e.altKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')));
          }
        }}
        onChange={(e) => {
          const version = Number(e.target.value);
          if (byKey.current) setStaged({ version, over: value });
          else pick(version);
        }}
      >
        {children}
      </select>
      {pending !== null && (
        <>
          <span id={hint} className="visually-hidden">
            Enter or {action(pending)} opens it.
          </span>{' '}
          <button type="button" onClick={() => pick(pending)}>
            {action(pending)}
          </button>
        </>
      )}
    </span>
  );
}
