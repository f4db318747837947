import { inputErrorPaths } from '../common/input-error.test-support';
import type { RewardsService } from './rewards.service';
import { UserRewardsController } from './user-rewards.controller';

// Review 61, finding 6: the id was parsed first and its 400 named nothing of the query.
describe('GET /v1/users/:id/rewards names every bad part at once', () => {
  const forUser = jest.fn();
  const controller = new UserRewardsController({ forUser } as unknown as RewardsService);

  it('a bad id and a bad query: the id, the limit and the unknown parameter in one 400', async () => {
    expect(await inputErrorPaths(() => controller.list('.', { limit: '0', x: '1' }))).toEqual(['id', 'limit', 'x']);
    expect(forUser).not.toHaveBeenCalled();
  });

  it('a good id and query are read as before', async () => {
    forUser.mockResolvedValueOnce({ rewards: [] });
    await controller.list('ann', { limit: '5' });
    expect(forUser).toHaveBeenCalledWith('ann', { limit: 5 });
  });
});
