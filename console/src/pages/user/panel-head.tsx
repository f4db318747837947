import type { ReactNode } from 'react';
import { since } from '../../ui/parts';

/**
 * A desk panel's heading, with when what it shows was read beside it ("as of
 * 10:03:05 AM GMT+1", as the other refreshing pages say it): the desk
 * refreshes, and a refresh that fails leaves the last answer up, so a
 * balance quoted to a customer says how old it is. Nothing until read.
 */
export function PanelHead({ title, at }: { title: ReactNode; at: Date | null }) {
  return (
    <div className="row" style={{ alignItems: 'baseline' }}>
      <h2>{title}</h2>
      {at && <span className="muted small">{since(at)}</span>}
    </div>
  );
}
