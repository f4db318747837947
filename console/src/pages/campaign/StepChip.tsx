import type { StepItem } from './graph-model';

const ACTION_ICON: Record<string, string> = { coupon: '%', points: '★', credit: '¤', message: '✉', webhook: '↗' };

/**
 * An action as a chip, or a nested group as a framed list of its own under
 * its strategy: which alternatives belong together. The campaign graph and
 * the editor's canvas draw a state's actions with it.
 */
export function StepChip({ item, icons = true }: { item: StepItem; icons?: boolean }) {
  const r = item.row;
  if (r.kind === 'action') {
    return (
      <li className={`chip chip-${r.type ?? 'action'}`} title={r.text}>
        {icons && <span aria-hidden="true">{ACTION_ICON[r.type ?? ''] ?? '•'} </span>}
        {r.text}
      </li>
    );
  }
  return (
    <li className="chip-group">
      <div className="chip-group-head" title={r.text} aria-hidden="true">
        {r.text}
      </div>
      <ul className="chips chips-group" aria-label={r.text}>
        {item.children.map((child) => (
          <StepChip key={child.row.stepId} item={child} icons={icons} />
        ))}
      </ul>
    </li>
  );
}
