import { PayloadTooLargeError } from '../src/api/common/errors';
import { UsersService } from '../src/api/users/users.service';
import { UserProfilesRepository } from '../src/store/repositories/user-profiles.repository';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * PUT /v1/users/:id's service on real PostgreSQL, across a lowered
 * MAX_PROFILE_ATTRIBUTES_BYTES (the cap is the controller's argument, read
 * from the configuration at boot): a write that leaves the profile no
 * heavier is taken, as docs/api.md promises (review 54, finding 2).
 */
describe('a profile written under a higher cap, after MAX_PROFILE_ATTRIBUTES_BYTES was lowered', () => {
  let db: TestDatabase;
  let users: UsersService;
  beforeAll(async () => {
    db = await createTestDatabase();
    users = new UsersService(new UserProfilesRepository(db.dataSource));
  });
  afterAll(async () => db?.drop());

  const BEFORE = 4096;
  const LOWERED = 1024;

  it('takes the same request again, and one that slims the profile down', async () => {
    expect((await users.merge('u-lowered', { bio: 'x'.repeat(3000) }, BEFORE)).attributes).toEqual({ bio: 'x'.repeat(3000) });
    // The request alone weighs more than the lowered cap; the merged profile no more than the stored one.
    expect((await users.merge('u-lowered', { bio: 'x'.repeat(3000) }, LOWERED)).attributes).toEqual({ bio: 'x'.repeat(3000) });
    expect((await users.merge('u-lowered', { bio: 'y'.repeat(2000) }, LOWERED)).attributes).toEqual({ bio: 'y'.repeat(2000) });
  });

  it('still refuses, with a 413 at attributes, a write that would leave it heavier than the lowered cap and than it was', async () => {
    await users.merge('u-grows', { bio: 'x'.repeat(3000) }, BEFORE);
    const err: unknown = await users.merge('u-grows', { bio: 'x'.repeat(3001) }, LOWERED).catch((e) => e);
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect((err as PayloadTooLargeError).details).toEqual([{ path: 'attributes', message: expect.stringContaining(`${LOWERED} bytes`) }]);
    expect((await users.get('u-grows')).attributes).toEqual({ bio: 'x'.repeat(3000) });
    // A new profile past the cap, as before.
    await expect(users.merge('u-new', { bio: 'x'.repeat(3000) }, LOWERED)).rejects.toBeInstanceOf(PayloadTooLargeError);
  });

  it('refuses before any query attributes past the largest cap any profile could have been stored under', async () => {
    const err: unknown = await new UsersService(new UserProfilesRepository(null as never)).merge('u-huge', { bio: 'x'.repeat(1024 * 1024) }, LOWERED).catch((e) => e);
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect((err as PayloadTooLargeError).details).toEqual([{ path: 'attributes', message: `is ${1024 * 1024 + 10} bytes as JSON; at most ${LOWERED} are taken` }]);
  });
});
