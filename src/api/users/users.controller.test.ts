import type { FastifyRequest } from 'fastify';
import { inputErrorPaths } from '../common/input-error.test-support';
import { ApiKeyRing } from '../common/api-keys';
import type { Config, Role } from '../../config/config';
import { InputError } from '../common/errors';
import { UsersController } from './users.controller';
import type { UsersService } from './users.service';

const keys = new ApiKeyRing(
  new Map<string, Role>([
    ['k-ingest', 'ingest'],
    ['k-admin', 'admin'],
  ]),
);
const as = (key: string) => ({ headers: { authorization: `Bearer ${key}` } }) as FastifyRequest;

// Review 61, finding 6: the id was parsed first and its 400 named nothing of the body.
describe('PUT /v1/users/:id names every bad part at once', () => {
  const merge = jest.fn();
  const controller = new UsersController({ merge } as unknown as UsersService, { sizeCaps: { profileAttributesBytes: 65_536 } } as Config, keys);
  const put = (id: string, body: unknown) => controller.put(id, body, as('k-ingest'));

  it('a bad id and a bad body: the id, the attribute name and the unknown field in one 400, and nothing merged', async () => {
    expect(await inputErrorPaths(() => put('.', { attributes: { '': 1 }, x: 1 }))).toEqual(['attributes', 'id', 'x']);
    expect(merge).not.toHaveBeenCalled();
  });

  it('a good id and body are merged as before', async () => {
    merge.mockResolvedValueOnce({ id: 'ann', attributes: { level: 3 }, createdAt: 'c', updatedAt: 'u' });
    await put('ann', { attributes: { level: 3 } });
    expect(merge).toHaveBeenCalledWith('ann', { level: 3 }, 65_536);
  });

  // Review 63, finding 2: at most 10 unstorable values were named, with no count of the rest, and none while an
  // attribute name was out of bounds (zod skipped the values' check once the record's key schema failed).
  const nuls = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => ['a' + String(i).padStart(3, '0'), '\u0000']));

  it('every unstorable value at its path, not the first ten', async () => {
    expect(await inputErrorPaths(() => put('u1', { attributes: nuls(12) }))).toEqual(Object.keys(nuls(12)).map((name) => `attributes.${name}`));
  });

  it('past a hundred, 99 of them and how many more, at `attributes`', async () => {
    const details = await put('u1', { attributes: nuls(150) }).then(
      () => [],
      (err: unknown) => (err as InputError).details,
    );
    expect(details).toHaveLength(100);
    expect(details.at(-1)).toEqual({ path: 'attributes', message: expect.stringMatching(/^and 51 more values or names in it that cannot be stored/) });
  });

  it('a bad name and an unstorable value together, with the names messages as before', async () => {
    expect(await inputErrorPaths(() => put('u1', { attributes: { '': 1, a: '\u0000' } }))).toEqual(['attributes', 'attributes.a']);
    const long = 'n'.repeat(201);
    const details = await put('u1', { attributes: { [long]: 1, s: '\ud800' } }).then(
      () => [],
      (err: unknown) => (err as InputError).details,
    );
    expect(details).toEqual([
      { path: `attributes.${long}`, message: 'invalid key: an attribute name is at most 200 characters' },
      { path: 'attributes.s', message: expect.stringMatching(/well-formed/) },
    ]);
  });
});

// Review 63, finding 1: the answer was the whole stored profile, so an ingest key (which may not GET a profile) read
// any user's attributes with an empty merge.
describe('PUT /v1/users/:id answers an ingest key only what it named', () => {
  const stored = { id: 'ann', attributes: { email: 'ann@example.com', level: 3 }, createdAt: 'c', updatedAt: 'u' };
  const merge = jest.fn().mockResolvedValue(stored);
  const controller = new UsersController({ merge } as unknown as UsersService, { sizeCaps: { profileAttributesBytes: 65_536 } } as Config, keys);

  it('an ingest key gets the attributes its request named, as stored (a removed one absent), and nothing else', async () => {
    expect(await controller.put('ann', { attributes: {} }, as('k-ingest'))).toEqual({ ...stored, attributes: {} });
    expect(await controller.put('ann', { attributes: { level: 3, vip: null } }, as('k-ingest'))).toEqual({ ...stored, attributes: { level: 3 } });
  });

  it('an admin key gets the whole profile', async () => {
    expect(await controller.put('ann', { attributes: {} }, as('k-admin'))).toEqual(stored);
  });
});
