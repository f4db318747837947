import { inputErrorPaths } from '../common/input-error.test-support';
import type { Config } from '../../config/config';
import { UsersController } from './users.controller';
import type { UsersService } from './users.service';

// Review 61, finding 6: the id was parsed first and its 400 named nothing of the body.
describe('PUT /v1/users/:id names every bad part at once', () => {
  const merge = jest.fn();
  const controller = new UsersController({ merge } as unknown as UsersService, { sizeCaps: { profileAttributesBytes: 65_536 } } as Config);

  it('a bad id and a bad body: the id, the attribute name and the unknown field in one 400, and nothing merged', async () => {
    expect(await inputErrorPaths(() => controller.put('.', { attributes: { '': 1 }, x: 1 }))).toEqual(['attributes', 'id', 'x']);
    expect(merge).not.toHaveBeenCalled();
  });

  it('a good id and body are merged as before', async () => {
    merge.mockResolvedValueOnce({ userId: 'ann', attributes: { level: 3 } });
    await controller.put('ann', { attributes: { level: 3 } });
    expect(merge).toHaveBeenCalledWith('ann', { level: 3 }, 65_536);
  });
});
