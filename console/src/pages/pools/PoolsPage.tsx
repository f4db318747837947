import { Fragment, useRef, useState } from 'react';
import { client, unwrap } from '../../api';
import { amount, plural } from '../../ui/numbers';
import { Empty, ErrorBox, since, Skeleton } from '../../ui/parts';
import { useApi } from '../../ui/use-api';
import { TopUpForm } from './TopUpForm';
import { PageHead } from '../../ui/page-head';

/** The table's columns: the top-up form spans them all. */
const COLUMNS = 6;

/** Budget used and left as a bar, codes left, per-user limit; a pool running low is topped up here. */
export default function PoolsPage() {
  const pools = useApi(() => unwrap(client().GET('/v1/pools')), [], 10_000);
  const [open, setOpen] = useState<string | null>(null);
  const [note, setNote] = useState('');
  // Each pool's Top up button: focus goes back to it when its form closes, not to the top of the page.
  const openers = useRef(new Map<string, HTMLButtonElement>());
  const close = (key: string) => {
    setOpen(null);
    openers.current.get(key)?.focus();
  };
  return (
    <section>
      <PageHead title="Reward pools">
        <span className="muted">{since(pools.at)}</span>
      </PageHead>
      <ErrorBox error={pools.error} />
      <p role="status" className="muted">
        {note}
      </p>
      {!pools.data && !pools.error && <Skeleton lines={4} />}
      {pools.data && pools.data.pools.length === 0 && <Empty>No pools yet: create one with <code>POST /v1/pools</code>.</Empty>}
      {pools.data && pools.data.total > pools.data.pools.length && (
        <p className="muted" data-testid="pools-cut">
          The oldest {amount(pools.data.pools.length)} of {amount(pools.data.total)} {plural(pools.data.total, 'pool')}; <code>kairos pools show &lt;key&gt;</code> shows any one.
        </p>
      )}
      {pools.data && pools.data.pools.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Pool</th>
              <th scope="col">Kind</th>
              <th scope="col">Budget used / left</th>
              <th scope="col" className="num">Codes left</th>
              <th scope="col" className="num">Per-user limit</th>
              <th scope="col">
                <span className="visually-hidden">Top up</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {pools.data.pools.map((p) => {
              const share = p.budget ? Math.min(1, p.used / p.budget) : 0;
              // What the pool counts, agreeing with the number it follows: "1 coupon", "0 points", "12.5 EUR".
              const unit = (n: number) => (p.kind === 'coupon' ? plural(n, 'coupon') : p.kind === 'credit' ? (p.currency ?? '') : plural(n, 'point'));
              return (
                <Fragment key={p.key}>
                  <tr data-testid={`pool-${p.key}`}>
                    <td>
                      <strong>{p.name ?? p.key}</strong>
                      <div className="muted mono">{p.key}</div>
                    </td>
                    <td>{p.kind}</td>
                    <td>
                      {p.budget === null ? (
                        <span>
                          {amount(p.used)} {unit(p.used)} used; no budget limit
                        </span>
                      ) : (
                        <>
                          <div className="bar" role="meter" aria-valuemin={0} aria-valuemax={p.budget} aria-valuenow={p.used} aria-label={`Budget of ${p.key} used`}>
                            <div className="bar-fill" style={{ width: `${share * 100}%` }} />
                          </div>
                          <span className="small">
                            <b data-testid={`used-${p.key}`}>{amount(p.used)}</b> used, <b>{amount(p.left)}</b> left of {amount(p.budget)} {unit(p.budget)}
                          </span>
                          {p.codes && p.left !== null && p.codes.left < p.left && (
                            // A voided (reclaimed) code gives its budget back but is never handed out again.
                            <div className="small warn" data-testid={`codes-short-${p.key}`}>
                              {p.codes.left === 0 ? 'no codes left' : `only ${amount(p.codes.left)} ${plural(p.codes.left, 'code')}`} to hand out: top up to use the rest
                            </div>
                          )}
                        </>
                      )}
                    </td>
                    <td className="num">{p.codes ? `${amount(p.codes.left)} of ${amount(p.codes.total)}` : '—'}</td>
                    <td className="num">{p.perUserLimit === null ? 'none' : amount(p.perUserLimit)}</td>
                    <td>
                      {(p.budget !== null || p.kind === 'coupon') && (
                        <button
                          ref={(el) => {
                            if (el) openers.current.set(p.key, el);
                            else openers.current.delete(p.key);
                          }}
                          type="button"
                          aria-expanded={open === p.key}
                          aria-label={`Top up ${p.key}`}
                          onClick={() => {
                            // The last top-up's "Topped up" is about that one: it would read as this one's outcome.
                            setNote('');
                            setOpen(open === p.key ? null : p.key);
                          }}
                        >
                          Top up
                        </button>
                      )}
                    </td>
                  </tr>
                  {open === p.key && (
                    <tr>
                      <td colSpan={COLUMNS}>
                        <TopUpForm
                          pool={p}
                          onCancel={() => close(p.key)}
                          onApplied={() => pools.reload()}
                          onDone={(text) => {
                            close(p.key);
                            setNote(text);
                            pools.reload();
                          }}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
