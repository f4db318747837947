import { Fragment, useRef, useState } from 'react';
import { client, unwrap } from '../../api';
import { randomId } from '../../ui/random-id';
import { earlierTopUpNotice, topUpBody, topUpFieldName, topUpMessage, topUpOutcome, type PoolNow, type TopUpFields } from './top-up-body';
import { openAfterClosing, topUpAppliedEarlier, topUpDismissed, topUpDone, topUpDrafted, topUpFailed, topUpOf, topUpSending, type TopUps } from './top-up-state';
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
  const openRef = useRef(open);
  openRef.current = open;
  const [note, setNote] = useState('');
  // Each pool's top-up, kept here rather than in its form: the form may be closed (another pool's opened) while its
  // top-up is on its way, and the answer must still be shown, and a form opened again must send the same id.
  const [topUps, setTopUps] = useState<TopUps>({});
  // Pools whose top-up is on its way: set before React has drawn the disabled Add (two presses in one frame).
  const inFlight = useRef(new Set<string>());
  // Each pool's Top up button: focus goes back to it when its form closes, not to the top of the page.
  const openers = useRef(new Map<string, HTMLButtonElement>());
  /** Closes `key`'s form, and only that one: a late answer must not close the form of another pool being filled in. */
  const close = (key: string) => {
    if (openRef.current !== key) return;
    openRef.current = null;
    setOpen((o) => openAfterClosing(o, key));
    openers.current.get(key)?.focus();
  };
  const send = async (key: string, id: string, fields: TopUpFields) => {
    if (inFlight.current.has(key)) return;
    inFlight.current.add(key);
    setTopUps((t) => topUpSending(t, key, id, fields));
    try {
      const answer = await unwrap(client().POST('/v1/pools/{key}/top-up', { params: { path: { key } }, body: topUpBody(id, fields) }));
      setTopUps((t) => topUpDone(t, key));
      close(key);
      setNote(answer.applied ? `Topped up ${key}.` : `${key} had taken this top-up already; nothing was added.`);
      pools.reload();
    } catch (err) {
      if (topUpOutcome(err) === 'appliedEarlier') {
        // The earlier top-up under this id was added: said with what it added, and the next Add is a top-up of its own.
        const now = await unwrap(client().GET('/v1/pools/{key}', { params: { path: { key } } })).then(
          (p): PoolNow => p,
          () => null,
        );
        pools.reload();
        setTopUps((t) => topUpAppliedEarlier(t, key, earlierTopUpNotice(now, id), randomId()));
      } else {
        setTopUps((t) => topUpFailed(t, key, id, { error: err, codes: fields.codes }, randomId));
      }
    } finally {
      inFlight.current.delete(key);
    }
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
              const topUp = topUps[p.key];
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
                          // Closing the form while its top-up is on its way would hide how it went.
                          disabled={open === p.key && topUp?.sending === true}
                          onClick={() => {
                            // The last top-up's "Topped up" is about that one: it would read as this one's outcome.
                            setNote('');
                            if (open === p.key) return close(p.key);
                            // The pool's top-up under way or last failed, with its id; else a new one.
                            setTopUps((t) => (t[p.key] ? t : { ...t, [p.key]: topUpOf(t, p.key, randomId) }));
                            setOpen(p.key);
                          }}
                        >
                          Top up
                        </button>
                      )}
                    </td>
                  </tr>
                  {open === p.key && topUp && (
                    <tr>
                      <td colSpan={COLUMNS}>
                        <TopUpForm
                          pool={p}
                          topUp={topUp}
                          onCancel={() => {
                            setTopUps((t) => topUpDismissed(t, p.key));
                            close(p.key);
                          }}
                          onSend={(id, fields) => void send(p.key, id, fields)}
                          onDraft={(fields) => setTopUps((t) => topUpDrafted(t, p.key, fields))}
                        />
                      </td>
                    </tr>
                  )}
                  {open !== p.key && topUp && (topUp.sending || topUp.failure || topUp.earlier) && (
                    // The form was closed (another pool's opened) while this top-up was on its way: how it went is said here.
                    <tr data-testid={`top-up-away-${p.key}`}>
                      <td colSpan={COLUMNS}>
                        {topUp.sending ? (
                          <span className="small muted" role="status">
                            Adding to {p.key}…
                          </span>
                        ) : topUp.failure ? (
                          <>
                            <span className="small">The top-up of {p.key} failed; Top up shows it, and sending it again adds nothing twice.</span>
                            <ErrorBox error={topUp.failure.error} where={(at) => topUpFieldName(at, topUp.failure?.codes ?? '')} words={(m) => topUpMessage(m, topUp.failure?.codes ?? '')} />
                          </>
                        ) : (
                          <span className="small" role="status">
                            {topUp.earlier}
                          </span>
                        )}
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
