import type { paths } from '../../../../clients/ts/src/schema';
import { amount, plural } from '../../ui/numbers';
import { rewardName } from './reward-words';
import { Badge, ErrorBox, Skeleton, when } from '../../ui/parts';
import type { Loaded } from '../../ui/use-api';
import { PanelHead } from './panel-head';

type Rewards = paths['/v1/users/{id}/rewards']['get']['responses'][200]['content']['application/json'];

const TONE = { issued: 'ok', redeemed: 'accent', reclaimed: 'ended', unreclaimable: 'error' } as const;

export function RewardsPanel({ loaded }: { loaded: Loaded<Rewards> }) {
  const data = loaded.data;
  return (
    <div className="panel">
      <PanelHead title="Rewards and balances" at={loaded.at} />
      <ErrorBox error={loaded.error} />
      {!data && !loaded.error && <Skeleton lines={3} />}
      {data && (
        <>
          <p>
            Points: <b data-testid="points-balance">{amount(data.balances.points)}</b>
            {Object.entries(data.balances.credit).map(([cur, n]) => (
              <span key={cur}>
                {' '}
                · Credit: <b>{amount(n)}</b> {cur}
              </span>
            ))}
          </p>
          {data.total > data.rewards.length && (
            <p className="muted small" data-testid="rewards-more">
              The newest {amount(data.rewards.length)} of {amount(data.total)} {plural(data.total, 'reward')}; the balances count all of them.
            </p>
          )}
          {data.rewards.length === 0 ? (
            <p className="muted">No rewards yet.</p>
          ) : (
            <table className="table compact">
              <thead>
                <tr>
                  <th scope="col">Reward</th>
                  <th scope="col">Campaign</th>
                  <th scope="col">Status</th>
                  <th scope="col">Caused by</th>
                  <th scope="col">Issued</th>
                </tr>
              </thead>
              <tbody>
                {data.rewards.map((r) => (
                  <tr key={r.id} data-testid={`reward-${r.id}`}>
                    <td>
                      {r.kind === 'coupon' ? (
                        <>
                          coupon {r.code && <code>{r.code}</code>}
                        </>
                      ) : (
                        rewardName(r)
                      )}
                    </td>
                    <td>{r.campaign}</td>
                    <td>
                      <Badge tone={TONE[r.status]}>{r.status}</Badge>
                    </td>
                    <td className="mono small">{r.causedBy.join(', ')}</td>
                    <td className="small">{when(r.issuedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
