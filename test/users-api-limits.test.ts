import { UserEventsRepository } from '../src/store/repositories/user-events.repository';
import { startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

const paths = (body: { error?: { details?: Array<{ path: string }> } }) => (body.error?.details ?? []).map((d) => d.path);

/**
 * The user routes at the edges of what they take, through the real API and
 * PostgreSQL: cursors after the longest event ids, profiles at the size cap,
 * and whole numbers JSON would round.
 */
describe('users API at its limits', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest({ env: { MAX_PROFILE_ATTRIBUTES_BYTES: String(64 * 1024) } });
  });
  afterAll(async () => sut?.stop());

  const ingest = (events: Array<{ id: string; userId: string; properties?: object }>) =>
    sut.request('POST', '/v1/events', { role: 'ingest', body: { events: events.map((e) => ({ type: 'page.viewed', ...e })) } });

  it.each([
    ['é', (n: number) => 'é'.repeat(150) + String(n)],
    ['emoji', (n: number) => '😀'.repeat(99) + String(n)],
    ['quotes', (n: number) => '"'.repeat(199) + String(n)],
    ['control characters', (n: number) => '\u0001'.repeat(199) + String(n)],
  ])("pages a user's events after the longest ids of %s: the next page takes the cursor it was given", async (what, idOf) => {
    const userId = `u-long-${what.replace(/\s/g, '-')}`;
    expect((await ingest([{ id: idOf(1), userId }])).status).toBe(202);
    expect((await ingest([{ id: idOf(2), userId }])).status).toBe(202);
    const first = await sut.request('GET', `/v1/users/${userId}/events?limit=1`, { role: 'support' });
    expect({ status: first.status, ids: first.body.events.map((e: { id: string }) => e.id) }).toEqual({ status: 200, ids: [idOf(2)] });
    const second = await sut.request('GET', `/v1/users/${userId}/events?limit=1&cursor=${first.body.next}`, { role: 'support' });
    expect({ status: second.status, ids: second.body.events?.map((e: { id: string }) => e.id), paths: paths(second.body) }).toEqual({ status: 200, ids: [idOf(1)], paths: [] });
  });

  it("pages a user's large events by weight: fewer than ?limit= a page, and `next` reaches every event once", async () => {
    const userId = 'u-heavy';
    // 60 events of about 200 KB (12 MB in all), 10 a request to stay under the body limit.
    for (let batch = 0; batch < 6; batch++) {
      const events = Array.from({ length: 10 }, (_, i) => ({ id: `heavy-${batch * 10 + i}`, userId, properties: { blob: String(batch * 10 + i).padEnd(200_000, 'x') } }));
      expect((await ingest(events)).status).toBe(202);
    }
    // The weight docs/api.md promises a page at most (its properties), with room for the rest of each event.
    const pageBytes = 4 * 1024 * 1024 + 64 * 1024;
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await sut.request('GET', `/v1/users/${userId}/events?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { role: 'support' });
      expect(res.status).toBe(200);
      expect(Buffer.byteLength(JSON.stringify(res.body))).toBeLessThan(pageBytes);
      sizes.push(res.body.events.length);
      const events: Array<{ id: string; properties: { blob: string } }> = res.body.events;
      expect(events.filter((e) => e.properties.blob.length !== 200_000)).toEqual([]);
      seen.push(...events.map((e) => e.id));
      cursor = res.body.next;
    } while (cursor && seen.length <= 60);
    // 20 of about 200 KB fit in 4 MB.
    expect(sizes).toEqual([20, 20, 20]);
    expect([...seen].sort()).toEqual(Array.from({ length: 60 }, (_, i) => `heavy-${i}`).sort());
  });

  it('keeps the first event of a page whatever it weighs, and resumes after it', async () => {
    const userId = 'u-one-heavy';
    expect((await ingest([{ id: 'one-heavy-1', userId, properties: { blob: 'a'.repeat(1000) } }])).status).toBe(202);
    expect((await ingest([{ id: 'one-heavy-2', userId, properties: { blob: 'b'.repeat(1000) } }])).status).toBe(202);
    const repository = new UserEventsRepository(sut.db.dataSource);
    const first = await repository.page(userId, { rows: 10, bytes: 100 }, null);
    expect(first.events.map((e) => e.id)).toEqual(['one-heavy-2']);
    expect(first.events[0].properties).toEqual({ blob: 'b'.repeat(1000) });
    const second = await repository.page(userId, { rows: 10, bytes: 100 }, first.next);
    expect({ ids: second.events.map((e) => e.id), next: second.next }).toEqual({ ids: ['one-heavy-1'], next: null });
  });

  it('takes a profile at the cap again, as the same request or one removing an attribute', async () => {
    // About 60,000 bytes as compact JSON, under the cap; about 72,000 in jsonb's text form, over it.
    const attributes = Object.fromEntries(Array.from({ length: 6000 }, (_, i) => [`k${String(i).padStart(4, '0')}`, 0]));
    const put = (body: object) => sut.request('PUT', '/v1/users/u-4', { role: 'ingest', body });
    expect((await put({ attributes })).status).toBe(200);
    const retried = await put({ attributes });
    expect({ status: retried.status, paths: paths(retried.body) }).toEqual({ status: 200, paths: [] });
    const removal = await put({ attributes: { k0000: null } });
    // (An ingest key is answered only the attributes it named: the profile is read as support.)
    const kept = await sut.request('GET', '/v1/users/u-4', { role: 'support' });
    expect({ status: removal.status, kept: Object.keys(kept.body.attributes ?? {}).length }).toEqual({ status: 200, kept: 5999 });
    // Still refused: what would make it heavier than the cap, at `attributes`.
    const heavier = await put({ attributes: { notes: 'n'.repeat(8 * 1024) } });
    expect({ status: heavier.status, paths: paths(heavier.body) }).toEqual({ status: 413, paths: ['attributes'] });
  });

  const count = async (sql: string): Promise<number> => (await sut.db.dataSource.query(sql))[0].n;

  it('refuses a whole number past 2^53 in a profile at its path instead of rounding it, storing nothing', async () => {
    const profile = await sut.request('PUT', '/v1/users/u-1', { role: 'ingest', rawBody: '{"attributes":{"accountNo":12345678901234567890}}' });
    expect({ status: profile.status, paths: paths(profile.body), message: profile.body.error?.details?.[0]?.message }).toEqual({
      status: 400,
      paths: ['attributes.accountNo'],
      message: '12345678901234567890 is a whole number past 2^53, which a JSON number does not keep exactly; write it as a string: "12345678901234567890"',
    });
    // Review 63, finding 5: with a zero fraction (a DECIMAL column's), it was rounded without a word.
    const decimal = await sut.request('PUT', '/v1/users/u-1', { role: 'ingest', rawBody: '{"attributes":{"accountNo":12345678901234567890.0}}' });
    expect({ status: decimal.status, paths: paths(decimal.body), message: decimal.body.error?.details?.[0]?.message }).toEqual({
      status: 400,
      paths: ['attributes.accountNo'],
      message: expect.stringMatching(/^12345678901234567890\.0 is a whole number past 2\^53.*write it as a string: "12345678901234567890\.0"$/),
    });
    expect(await count(`select count(*)::int as n from user_profiles where user_id = 'u-1'`)).toBe(0);

    // As a string it is kept to the last digit; a number JSON keeps (an answer Kairos gave) is taken as it is.
    const asText = await sut.request('PUT', '/v1/users/u-1', { role: 'ingest', rawBody: '{"attributes":{"accountNo":"12345678901234567890","big":12345678901234567000,"d":1.5e20}}' });
    expect({ status: asText.status, attributes: asText.body.attributes }).toEqual({ status: 200, attributes: { accountNo: '12345678901234567890', big: 12345678901234567000, d: 1.5e20 } });
  });

  it('refuses a whole number past 2^53 in an event at its path, so two order numbers never read as one', async () => {
    const event = (id: string, orderNo: string) => `{"id":"${id}","type":"order.paid","userId":"u-orders","properties":{"orderNo":${orderNo}}}`;
    const refused = await sut.request('POST', '/v1/events', { role: 'ingest', rawBody: `{"events":[${event('o-1', '1')},${event('o-2', '12345678901234567891')}]}` });
    expect({ status: refused.status, paths: paths(refused.body) }).toEqual({ status: 400, paths: ['events[1].properties.orderNo'] });
    const single = await sut.request('POST', '/v1/events', { role: 'ingest', rawBody: event('o-3', '12345678901234567890') });
    expect({ status: single.status, paths: paths(single.body) }).toEqual({ status: 400, paths: ['properties.orderNo'] });
    expect(await count(`select count(*)::int as n from events where user_id = 'u-orders'`)).toBe(0);
  });
});
