import { useState, type FormEvent } from 'react';
import { ErrorBox } from '../../ui/parts';
import { topUpBody, topUpFieldName, topUpMessage, topUpSummary, type TopUpFields } from './top-up-body';
import type { PoolTopUp } from './top-up-state';

interface Pool {
  key: string;
  kind: 'coupon' | 'points' | 'credit';
  /** A credit pool's: the confirm names it, as the table does. */
  currency: string | null;
  budget: number | null;
}

const EMPTY: TopUpFields = { budget: '', codes: '', pattern: '', count: '' };

/**
 * Adds budget or codes to one pool. The top-up itself (its id, whether it is
 * on its way, how it failed) is the pools page's (top-up-state.ts), not the
 * form's: the id is drawn when the form first opens and kept until an answer
 * says what became of it, so sending again after a failed or lost answer, or
 * from a form closed and opened again, cannot add twice (drawn with
 * getRandomValues: randomUUID is missing over plain HTTP off loopback).
 * While it is being sent, Add, Cancel and Escape do nothing; a form opened
 * again shows what was typed in it and not sent (the page keeps it: another
 * pool's Top up closes this form), else what was sent. Escape closes it, as
 * Cancel does, and drops what was typed.
 *
 * An answer lost after the API applied it, then fields edited and Add
 * pressed again: the API refuses the same id with other fields (409
 * top_up_id_reused). The page says the earlier top-up was applied and what
 * it added, re-reads the pools, and draws a new id, so the next Add sends
 * the fields as they are now as a top-up of their own.
 */
export function TopUpForm({
  pool,
  topUp,
  onSend,
  onDraft,
  onCancel,
}: {
  pool: Pool;
  topUp: PoolTopUp;
  onSend: (id: string, fields: TopUpFields) => void;
  /** Each edit, for the page to keep (top-up-state.ts, `draft`). */
  onDraft: (fields: TopUpFields) => void;
  onCancel: () => void;
}) {
  // What was typed and not sent first (the form closed by another pool's Top up), then what was sent.
  const [fields, setFields] = useState<TopUpFields>(() => topUp.draft ?? topUp.sent ?? EMPTY);
  const busy = topUp.sending;
  const error = topUp.failure;
  const earlier = topUp.earlier;
  const field = (name: keyof TopUpFields) => ({
    value: fields[name],
    readOnly: busy,
    onChange: (e: { target: { value: string } }) => {
      const next = { ...fields, [name]: e.target.value };
      setFields(next);
      onDraft(next);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const body = topUpBody(topUp.id, fields);
    // Budget only grows: say what will be added, with the budget it makes, before anything is sent.
    if (!window.confirm(topUpSummary(pool, body))) return;
    onSend(topUp.id, fields);
  };
  const label = `Top up ${pool.key}`;
  return (
    <form
      className="top-up"
      aria-label={label}
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        // Not while it is being sent: the form would go, and with it the only place that says how it went.
        if (!busy) onCancel();
      }}
    >
      {earlier && (
        <p className="notice" role="status" data-testid="top-up-earlier">
          {earlier}
        </p>
      )}
      <ErrorBox error={error?.error} where={(path) => topUpFieldName(path, error?.codes ?? '')} words={(message) => topUpMessage(message, error?.codes ?? '')} />
      {pool.budget !== null && (
        <label>
          Add to budget
          <input type="number" min="0" step="any" inputMode="decimal" {...field('budget')} />
        </label>
      )}
      {pool.kind === 'coupon' && (
        <>
          <label>
            Codes to add, one a line
            <textarea rows={3} spellCheck={false} {...field('codes')} />
          </label>
          <label>
            or generate from a pattern
            <input placeholder="SAVE-####-????" {...field('pattern')} />
          </label>
          <label>
            how many
            <input type="number" min="1" step="1" {...field('count')} />
          </label>
        </>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Adding…' : 'Add'}
        </button>
        {/* Millions of generated codes take a while: say it is under way, and that it stays one top-up. */}
        {busy && (
          <span className="small muted" role="status">
            Adding; a large number of codes can take minutes. Keep this page open: sent again, the same top-up adds nothing twice.
          </span>
        )}
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
