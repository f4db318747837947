import { startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

const paths = (body: { error?: { details?: Array<{ path: string }> } }) => (body.error?.details ?? []).map((d) => d.path);

/**
 * GET /v1/users/:id/rewards through the real API and PostgreSQL: what it
 * answered before `before` and `causedBy` came is answered the same, a page
 * leads back to the older rewards, and what is not a cursor or an event id is
 * a 400 at its path.
 */
describe("a user's rewards over HTTP: paging back, and what one event caused", () => {
  let sut: SystemUnderTest;
  const user = 'u-rewards-pages';
  beforeAll(async () => {
    sut = await startSystemUnderTest();
    // What three steps of a journey would have issued, one after the other.
    for (const [n, causedBy] of [
      [1, ['ord-a']],
      [2, ['ord-b', 'ord-shared']],
      [3, ['ord-c', 'ord-shared']],
    ] as const) {
      await sut.kairos.repositories.rewards.issueAlone({
        idempotencyKey: `pages:${user}:${n}`,
        campaignKey: 'spend',
        campaignVersion: 1,
        userId: user,
        stepId: `step-${n}`,
        causedBy: [...causedBy],
        action: { type: 'points', amount: n, pool: null },
      });
    }
  });
  afterAll(async () => sut?.stop());

  const rewards = (query = '') => sut.request('GET', `/v1/users/${user}/rewards${query}`, { role: 'support' });
  const amounts = (body: { rewards: Array<{ amount: number }> }) => body.rewards.map((r) => r.amount);

  it('answers every reward, and a limit that leaves none out, as it did: no `next`', async () => {
    for (const query of ['', '?limit=3', '?limit=1000']) {
      const res = await rewards(query);
      expect({ status: res.status, keys: Object.keys(res.body).sort(), amounts: amounts(res.body), total: res.body.total }).toEqual({
        status: 200,
        keys: ['balances', 'rewards', 'total'],
        amounts: [1, 2, 3],
        total: 3,
      });
    }
  });

  it('pages back from the newest with `next` as `before`, to the oldest, whose answer has no `next`', async () => {
    const newest = await rewards('?limit=2');
    expect({ status: newest.status, amounts: amounts(newest.body), total: newest.body.total, next: typeof newest.body.next }).toEqual({ status: 200, amounts: [2, 3], total: 3, next: 'string' });
    const older = await rewards(`?limit=2&before=${encodeURIComponent(newest.body.next)}`);
    expect({ status: older.status, amounts: amounts(older.body), total: older.body.total, balances: older.body.balances, next: older.body.next }).toEqual({
      status: 200,
      amounts: [1],
      total: 3,
      balances: newest.body.balances,
      next: undefined,
    });
  });

  it("lists what one event caused, paged the same way, while `total` and the balances stay the user's", async () => {
    const shared = await rewards('?causedBy=ord-shared');
    expect({ status: shared.status, amounts: amounts(shared.body), total: shared.body.total, balances: shared.body.balances }).toEqual({
      status: 200,
      amounts: [2, 3],
      total: 3,
      balances: { points: 6, credit: {} },
    });
    const newest = await rewards('?causedBy=ord-shared&limit=1');
    const older = await rewards(`?causedBy=ord-shared&limit=1&before=${encodeURIComponent(newest.body.next)}`);
    expect([amounts(newest.body), amounts(older.body), older.body.next]).toEqual([[3], [2], undefined]);
    expect(amounts((await rewards('?causedBy=ord-none')).body)).toEqual([]);
  });

  it('refuses what is no cursor this API gave out, and what no event id can be, with 400 at the path', async () => {
    const forged = Buffer.from(JSON.stringify(['2026-02-30T00:00:00Z', '0b7f6c1e-54a2-4c1e-9d55-7d0c2b9b4f21'])).toString('base64url');
    for (const [query, path] of [
      ['?limit=2&before=not-a-cursor', 'before'],
      [`?limit=2&before=${forged}`, 'before'],
      ['?before=', 'before'],
      [`?before=${'a'.repeat(300)}`, 'before'],
      ['?causedBy=', 'causedBy'],
      [`?causedBy=${'e'.repeat(201)}`, 'causedBy'],
      ['?causedBy=ord%00a', 'causedBy'],
      ['?causedBy=..', 'causedBy'],
    ] as const) {
      const res = await rewards(query);
      expect({ query, status: res.status, paths: paths(res.body) }).toEqual({ query, status: 400, paths: [path] });
    }
  });
});
