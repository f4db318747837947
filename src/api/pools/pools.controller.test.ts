import { parseRewardPool } from '../../domain/campaign/schema';
import { documentedRoutes, registeredRoutes } from '../docs/registered-routes';
import { couponCodeIssues } from './pool-codes';
import { PoolsController } from './pools.controller';
import { PoolTopUp } from './pools.schemas';
import { topUpIssues } from './top-up-issues';

// Review 60 (docs), finding 3: /docs/ui's createPool example made an unlimited pool, which its topUpPool example's `budget` cannot be added to.
describe("the pool routes' OpenAPI examples", () => {
  const routes = documentedRoutes(registeredRoutes([PoolsController]));
  const example = (operationId: string): unknown => routes.find((r) => r.operationId === operationId)?.example;

  it('work one after the other: the pool createPool makes takes the top-up topUpPool shows', () => {
    const created = parseRewardPool(example('createPool'));
    if (!created.ok) throw new Error(`createPool's example is refused: ${JSON.stringify(created.issues)}`);
    expect(couponCodeIssues(created.value)).toEqual([]);
    const topUp = PoolTopUp.parse(example('topUpPool'));
    const pool = { key: created.value.key, kind: created.value.kind, budget: created.value.budget ?? null };
    expect(topUpIssues(pool, topUp)).toEqual([]);
  });
});
