import { InputError } from '../common/errors';
import type { RewardsService } from './rewards.service';
import { UserRewardsController } from './user-rewards.controller';

const pathsOf = async (f: () => unknown): Promise<string[]> => {
  try {
    await f();
  } catch (err) {
    if (err instanceof InputError) return err.details.map((d) => d.path).sort();
    throw err;
  }
  throw new Error('no InputError');
};

// Review 61, finding 6: the id was parsed first and its 400 named nothing of the query.
describe('GET /v1/users/:id/rewards names every bad part at once', () => {
  const forUser = jest.fn();
  const controller = new UserRewardsController({ forUser } as unknown as RewardsService);

  it('a bad id and a bad query: the id, the limit and the unknown parameter in one 400', async () => {
    expect(await pathsOf(() => controller.list('.', { limit: '0', x: '1' }))).toEqual(['id', 'limit', 'x']);
    expect(forUser).not.toHaveBeenCalled();
  });

  it('a good id and query are read as before', async () => {
    forUser.mockResolvedValueOnce({ rewards: [] });
    await controller.list('ann', { limit: '5' });
    expect(forUser).toHaveBeenCalledWith('ann', { limit: 5 });
  });
});
