import { useState, type FormEvent } from 'react';
import { client, unwrap } from '../../api';
import { ErrorBox } from '../../ui/parts';
import { randomId } from '../../ui/random-id';
import { earlierTopUpNotice, topUpBody, topUpFieldName, topUpMessage, topUpOutcome, topUpSummary, type PoolNow } from './top-up-body';

interface Pool {
  key: string;
  kind: 'coupon' | 'points' | 'credit';
  budget: number | null;
}

/**
 * Adds budget or codes to one pool. The top-up's id is drawn when the form
 * opens and kept until it succeeds, so sending again after a failed answer
 * cannot add twice (drawn with getRandomValues: randomUUID is missing over
 * plain HTTP off loopback). Escape closes it, as Cancel does.
 *
 * An answer lost after the API applied it, then fields edited and Add
 * pressed again: the API refuses the same id with other fields (409
 * top_up_id_reused). The form says the earlier top-up was applied and what
 * it added, has the pools re-read (`onApplied`), and draws a new id, so the
 * next Add sends the fields as they are now as a top-up of their own.
 */
export function TopUpForm({ pool, onDone, onApplied, onCancel }: { pool: Pool; onDone: (note: string) => void; onApplied: () => void; onCancel: () => void }) {
  const [id, setId] = useState(() => randomId());
  const [earlier, setEarlier] = useState<string | null>(null);
  const [fields, setFields] = useState({ budget: '', codes: '', pattern: '', count: '' });
  // With the codes text that was sent: the API names a code by its place in that list.
  const [error, setError] = useState<{ error: unknown; codes: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const field = (name: keyof typeof fields) => ({
    value: fields[name],
    onChange: (e: { target: { value: string } }) => setFields((f) => ({ ...f, [name]: e.target.value })),
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = topUpBody(id, fields);
    // Budget only grows: say what will be added, with the budget it makes, before anything is sent.
    if (!window.confirm(topUpSummary(pool, body))) return;
    setBusy(true);
    setError(null);
    setEarlier(null);
    try {
      const answer = await unwrap(client().POST('/v1/pools/{key}/top-up', { params: { path: { key: pool.key } }, body }));
      onDone(answer.applied ? `Topped up ${pool.key}.` : `${pool.key} had taken this top-up already; nothing was added.`);
    } catch (err) {
      if (topUpOutcome(err) === 'appliedEarlier') await sayEarlierApplied(body.id);
      else setError({ error: err, codes: fields.codes });
    } finally {
      setBusy(false);
    }
  };
  /** The earlier top-up under this id was added: said with what it added, and the next Add is a top-up of its own. */
  const sayEarlierApplied = async (sentId: string) => {
    const now = await unwrap(client().GET('/v1/pools/{key}', { params: { path: { key: pool.key } } })).then(
      (p): PoolNow => p,
      () => null,
    );
    onApplied();
    setId(randomId());
    setEarlier(earlierTopUpNotice(now, sentId));
  };
  const label = `Top up ${pool.key}`;
  return (
    <form
      className="top-up"
      aria-label={label}
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        onCancel();
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
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
