import type { ReactNode } from 'react';
import { Link } from '../router';

/** A page's title row: the way back when the page has one, the title, and what belongs beside it (filters, pickers, a time). */
export function PageHead({ back, title, children }: { back?: { to: string; label: ReactNode }; title: ReactNode; children?: ReactNode }) {
  return (
    <div className="page-head">
      {back && (
        <Link to={back.to} className="muted">
          ← {back.label}
        </Link>
      )}
      <h1>{title}</h1>
      {children}
    </div>
  );
}
