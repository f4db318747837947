import { startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

describe('user profiles: PUT merges, GET reads', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest();
  });
  afterAll(async () => sut?.stop());

  it('creates a profile, then merges attributes at the top level, a null removing one', async () => {
    const first = await sut.request('PUT', '/v1/users/u-1', { role: 'ingest', body: { attributes: { level: 2, vip: false, address: { city: 'Paris', zip: '75001' } } } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: 'u-1', attributes: { level: 2, vip: false, address: { city: 'Paris', zip: '75001' } } });

    const second = await sut.request('PUT', '/v1/users/u-1', { role: 'ingest', body: { attributes: { level: 3, address: { city: 'Lyon' }, vip: null, birthday: '1990-11-21' } } });
    expect(second.status).toBe(200);
    // level replaced, address replaced as a whole (not merged deeply), vip removed, birthday added.
    expect(second.body.attributes).toEqual({ level: 3, address: { city: 'Lyon' }, birthday: '1990-11-21' });
    expect(new Date(second.body.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(first.body.updatedAt).getTime());
    expect(second.body.createdAt).toBe(first.body.createdAt);

    const read = await sut.request('GET', '/v1/users/u-1', { role: 'support' });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(second.body);
    const [row] = await sut.db.dataSource.query(`select attributes from user_profiles where user_id = 'u-1'`);
    expect(row.attributes).toEqual({ level: 3, address: { city: 'Lyon' }, birthday: '1990-11-21' });
  });

  it('loses no attribute when updates of one user race', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => sut.request('PUT', '/v1/users/u-race', { role: 'ingest', body: { attributes: { [`a${i}`]: i } } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const read = await sut.request('GET', '/v1/users/u-race', { role: 'support' });
    expect(Object.keys(read.body.attributes)).toHaveLength(20);
  });

  it("pages a user's events by the cursor it gives out, and answers a forged cursor with 400 at cursor, even one PostgreSQL could not read", async () => {
    const events = ['ev-1', 'ev-2', 'ev-3'].map((id) => ({ id, type: 'page.viewed', userId: 'u-paged' }));
    expect((await sut.request('POST', '/v1/events', { role: 'ingest', body: { events } })).status).toBe(202);
    const first = await sut.request('GET', '/v1/users/u-paged/events?limit=2', { role: 'support' });
    expect({ status: first.status, n: first.body.events.length, next: typeof first.body.next }).toEqual({ status: 200, n: 2, next: 'string' });
    const second = await sut.request('GET', `/v1/users/u-paged/events?limit=2&cursor=${first.body.next}`, { role: 'support' });
    expect({ n: second.body.events.length, next: second.body.next }).toEqual({ n: 1, next: null });
    const forged = (position: unknown) => Buffer.from(JSON.stringify(position)).toString('base64url');
    for (const cursor of [forged(['2026-02-30T00:00:00Z', 'ev-1']), forged(['0000-01-01T00:00:00Z', 'ev-1']), forged(['+275760-09-13T00:00:00Z', 'ev-1']), forged(['2026-01-01T00:00:00Z', 'ev\u0000'])]) {
      const res = await sut.request('GET', `/v1/users/u-paged/events?cursor=${cursor}`, { role: 'support' });
      expect({ status: res.status, paths: res.body.error?.details?.map((d: { path: string }) => d.path) }).toEqual({ status: 400, paths: ['cursor'] });
    }
  });

  it('404 for a user with no profile', async () => {
    const res = await sut.request('GET', '/v1/users/nobody', { role: 'support' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    // An id no user can have (over 200 characters) is a mistake at `id`, as on the user's other routes.
    const tooLong = await sut.request('GET', `/v1/users/${'u'.repeat(201)}`, { role: 'support' });
    expect({ status: tooLong.status, paths: tooLong.body.error.details.map((d: { path: string }) => d.path) }).toEqual({ status: 400, paths: ['id'] });
  });

  it('400 with the exact path for a bad body, storing nothing', async () => {
    const missing = await sut.request('PUT', '/v1/users/u-2', { role: 'ingest', body: { level: 3 } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['attributes', 'level']);
    const notObject = await sut.request('PUT', '/v1/users/u-2', { role: 'ingest', body: { attributes: [1, 2] } });
    expect(notObject.status).toBe(400);
    expect(notObject.body.error.details[0].path).toBe('attributes');
    const [{ n }] = await sut.db.dataSource.query(`select count(*)::int as n from user_profiles where user_id = 'u-2'`);
    expect(n).toBe(0);
  });

  it('keeps profiles in the ingest lane: support reads, cannot write', async () => {
    expect((await sut.request('PUT', '/v1/users/u-3', { role: 'support', body: { attributes: {} } })).status).toBe(403);
    expect((await sut.request('GET', '/v1/users/u-1', { role: 'ingest' })).status).toBe(403);
  });

  // Review 63, finding 1: PUT answered the whole stored profile, so an ingest key read any user's attributes with an
  // empty merge, and a removal-only or empty merge created a profile (which a batch-entry campaign then enters).
  it('answers an ingest key only the attributes it named, and creates no profile for a merge that sets nothing', async () => {
    await sut.request('PUT', '/v1/users/u-secret', { role: 'ingest', body: { attributes: { email: 'ann@example.com', level: 1 } } });
    const peek = await sut.request('PUT', '/v1/users/u-secret', { role: 'ingest', body: { attributes: {} } });
    expect({ status: peek.status, attributes: peek.body.attributes }).toEqual({ status: 200, attributes: {} });
    const named = await sut.request('PUT', '/v1/users/u-secret', { role: 'ingest', body: { attributes: { level: 2, gone: null } } });
    expect({ status: named.status, keys: Object.keys(named.body).sort(), attributes: named.body.attributes }).toEqual({
      status: 200,
      keys: ['attributes', 'createdAt', 'id', 'updatedAt'],
      attributes: { level: 2 },
    });
    // An admin key reads profiles, and gets the whole of it.
    const admin = await sut.request('PUT', '/v1/users/u-secret', { role: 'admin', body: { attributes: {} } });
    expect(admin.body.attributes).toEqual({ email: 'ann@example.com', level: 2 });

    const removal = await sut.request('PUT', '/v1/users/never-seen', { role: 'ingest', body: { attributes: { gone: null } } });
    expect({ status: removal.status, body: removal.body }).toEqual({ status: 200, body: { id: 'never-seen', attributes: {}, createdAt: expect.any(String), updatedAt: removal.body.createdAt } });
    expect((await sut.request('PUT', '/v1/users/never-seen', { role: 'ingest', body: { attributes: {} } })).status).toBe(200);
    expect((await sut.request('GET', '/v1/users/never-seen', { role: 'support' })).status).toBe(404);
    const [{ n }] = await sut.db.dataSource.query(`select count(*)::int as n from user_profiles where user_id = 'never-seen'`);
    expect(n).toBe(0);
  });

  // Review 63, finding 2: a NUL in the path id was answered alone, by the pipe, before the handler named the rest.
  it("names a NUL in the id and the body's or the query's problems in one 400", async () => {
    const put = await sut.request('PUT', '/v1/users/a%00b', { role: 'ingest', body: { attributes: { '': 1, a: 'x\u0000' } } });
    expect({ status: put.status, paths: put.body.error?.details?.map((d: { path: string }) => d.path).sort() }).toEqual({ status: 400, paths: ['attributes', 'attributes.a', 'id'] });
    const events = await sut.request('GET', '/v1/users/a%00b/events?limit=0', { role: 'support' });
    expect({ status: events.status, paths: events.body.error?.details?.map((d: { path: string }) => d.path).sort() }).toEqual({ status: 400, paths: ['id', 'limit'] });
  });

  // Review 63, finding 3: updated_at was now(), the transaction's start. A PUT that began first and created nothing
  // (another created the row meanwhile) stamped its update before the row's createdAt and before the write it followed.
  it('stamps updatedAt when the merge is applied: never before createdAt or the write before it', async () => {
    // Holds the insert of a PUT naming `slow` for half a second, so a later PUT creates the row first.
    await sut.db.dataSource.query(`create function test_slow_profile_insert() returns trigger language plpgsql as $$ begin perform pg_sleep(0.5); return new; end $$`);
    await sut.db.dataSource.query(`create trigger test_slow_profile_insert before insert on user_profiles for each row when (new.attributes ? 'slow') execute function test_slow_profile_insert()`);
    try {
      const slow = sut.request('PUT', '/v1/users/u-clock', { role: 'ingest', body: { attributes: { slow: 1 } } });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const fast = await sut.request('PUT', '/v1/users/u-clock', { role: 'ingest', body: { attributes: { fast: 1 } } });
      const late = await slow;
      expect([fast.status, late.status]).toEqual([200, 200]);
      const ms = (text: string) => new Date(text).getTime();
      expect(ms(late.body.createdAt)).toBe(ms(fast.body.createdAt));
      expect(ms(late.body.updatedAt)).toBeGreaterThanOrEqual(ms(late.body.createdAt));
      expect(ms(late.body.updatedAt)).toBeGreaterThanOrEqual(ms(fast.body.updatedAt));
      expect((await sut.request('GET', '/v1/users/u-clock', { role: 'support' })).body.attributes).toEqual({ slow: 1, fast: 1 });
    } finally {
      await sut.db.dataSource.query(`drop trigger test_slow_profile_insert on user_profiles`);
      await sut.db.dataSource.query(`drop function test_slow_profile_insert()`);
    }
  });
});
