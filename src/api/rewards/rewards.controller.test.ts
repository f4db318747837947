import { documentedRoutes, registeredRoutes } from '../docs/registered-routes';
import { RewardsController } from './rewards.controller';

// Review 60 (rewards), finding 3: the OpenAPI summary left out the 409 for an expired coupon, which docs/api.md names.
describe('redeemReward in the OpenAPI document', () => {
  const [redeem] = documentedRoutes(registeredRoutes([RewardsController])).filter((r) => r.operationId === 'redeemReward');

  it("names every 409 the route answers: a coupon past its expiresAt, a reclaimed one, another kind, with the code", () => {
    expect(redeem.errors).toContain(409);
    expect(redeem.summary).toMatch(/past its `expiresAt`/);
    expect(redeem.summary).toMatch(/reclaimed coupon/);
    expect(redeem.summary).toMatch(/non-coupon/);
    expect(redeem.summary).toMatch(/409 `not_redeemable`/);
  });
});
