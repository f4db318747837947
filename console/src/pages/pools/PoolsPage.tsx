import { client, unwrap } from '../../api';
import { amount } from '../../ui/numbers';
import { Empty, ErrorBox, since, Skeleton } from '../../ui/parts';
import { useApi } from '../../ui/use-api';

/** Budget used and left as a bar, codes left, per-user limit. */
export default function PoolsPage() {
  const pools = useApi(() => unwrap(client().GET('/v1/pools')), [], 10_000);
  return (
    <section>
      <div className="page-head">
        <h1>Reward pools</h1>
        <span className="muted">{since(pools.at)}</span>
      </div>
      <ErrorBox error={pools.error} />
      {!pools.data && !pools.error && <Skeleton lines={4} />}
      {pools.data && pools.data.pools.length === 0 && <Empty>No pools yet: create one with <code>POST /v1/pools</code>.</Empty>}
      {pools.data && pools.data.pools.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Pool</th>
              <th scope="col">Kind</th>
              <th scope="col">Budget used / left</th>
              <th scope="col" className="num">Codes left</th>
              <th scope="col" className="num">Per-user limit</th>
            </tr>
          </thead>
          <tbody>
            {pools.data.pools.map((p) => {
              const share = p.budget ? Math.min(1, p.used / p.budget) : 0;
              const unit = p.kind === 'coupon' ? 'coupons' : p.kind === 'credit' ? (p.currency ?? '') : 'points';
              return (
                <tr key={p.key} data-testid={`pool-${p.key}`}>
                  <td>
                    <strong>{p.name ?? p.key}</strong>
                    <div className="muted mono">{p.key}</div>
                  </td>
                  <td>{p.kind}</td>
                  <td>
                    {p.budget === null ? (
                      <span>
                        {amount(p.used)} {unit} used; no budget limit
                      </span>
                    ) : (
                      <>
                        <div className="bar" role="meter" aria-valuemin={0} aria-valuemax={p.budget} aria-valuenow={p.used} aria-label={`Budget of ${p.key} used`}>
                          <div className="bar-fill" style={{ width: `${share * 100}%` }} />
                        </div>
                        <span className="small">
                          <b data-testid={`used-${p.key}`}>{amount(p.used)}</b> used, <b>{amount(p.left)}</b> left of {amount(p.budget)} {unit}
                        </span>
                      </>
                    )}
                  </td>
                  <td className="num">{p.codes ? `${amount(p.codes.left)} of ${amount(p.codes.total)}` : '—'}</td>
                  <td className="num">{p.perUserLimit ?? 'none'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
