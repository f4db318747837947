import { createRewardActivities } from '../../src/activities/rewards/reward-activities';
import { startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test';
import { issueInput } from './ledger-fixture';

describe('pools and redeem over HTTP', () => {
  let sut: SystemUnderTest;
  let activities: ReturnType<typeof createRewardActivities>;
  beforeAll(async () => {
    sut = await startSystemUnderTest();
    activities = createRewardActivities({ dataSource: sut.db.dataSource });
  });
  afterAll(async () => sut?.stop());

  const paths = (body: { error: { details: Array<{ path: string }> } }) => body.error.details.map((d) => d.path).sort();

  it('POST /v1/pools creates a pool (201) and GET shows its budget used and left', async () => {
    const created = await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: 'welcome-points', kind: 'points', budget: 500, perUserLimit: 1 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'welcome-points', kind: 'points', budget: 500, used: 0, left: 500, perUserLimit: 1 });
    await activities.issueReward(issueInput({ type: 'points', amount: 120, pool: 'welcome-points' }));
    const got = await sut.request('GET', '/v1/pools/welcome-points', { role: 'operator' });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ budget: 500, used: 120, left: 380 });
    expect(got.body.codes).toBeUndefined();
  });

  it('a coupon pool shows its codes total, issued and left', async () => {
    const created = await sut.request('POST', '/v1/pools', {
      role: 'admin',
      body: { key: 'xmas', kind: 'coupon', generate: { pattern: 'SAVE-####-????', count: 300 }, validFor: 'P30D' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'xmas', kind: 'coupon', budget: null, used: 0, left: null, validFor: 'P30D', codes: { total: 300, issued: 0, left: 300 } });
    await activities.issueReward(issueInput({ type: 'coupon', pool: 'xmas' }));
    expect((await sut.request('GET', '/v1/pools/xmas', { role: 'operator' })).body.codes).toEqual({ total: 300, issued: 1, left: 299, voided: 0 });
  });

  it('409 for a key that exists, and the pool is left as it was', async () => {
    const first = await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: 'dup', kind: 'coupon', codes: ['A', 'B'] } });
    expect(first.status).toBe(201);
    const again = await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: 'dup', kind: 'coupon', codes: ['C'] } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('pool_exists');
    expect((await sut.request('GET', '/v1/pools/dup', { role: 'operator' })).body.codes).toEqual({ total: 2, issued: 0, left: 2, voided: 0 });
  });

  it('400 with the exact path of every problem', async () => {
    const bad = await sut.request('POST', '/v1/pools', {
      role: 'operator',
      body: { key: 'Bad Key', kind: 'points', budget: -1, codes: ['A'], currency: 'EUR', validFor: 'soon', colour: 'red' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    expect(paths(bad.body)).toEqual(expect.arrayContaining(['budget', 'codes', 'colour', 'currency', 'key', 'validFor']));

    const dupCodes = await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: 'dups', kind: 'coupon', codes: ['A', 'B', 'A', 'B'] } });
    expect(dupCodes.status).toBe(400);
    expect(paths(dupCodes.body)).toEqual(['codes[2]', 'codes[3]']);

    const tooMany = await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: 'small', kind: 'coupon', generate: { pattern: 'A-#', count: 11 } } });
    expect(tooMany.status).toBe(400);
    expect(paths(tooMany.body)).toEqual(['generate.count']);
    expect(tooMany.body.error.details[0].message).toContain('only 10');

    const halfCoupon = await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: 'half', kind: 'coupon', codes: ['A', 'B'], budget: 1.5 } });
    expect(halfCoupon.status).toBe(400);
    expect(halfCoupon.body.error.details).toEqual([{ path: 'budget', message: "a coupon pool's budget counts coupons: a whole number" }]);

    const noCodes = await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: 'empty', kind: 'coupon' } });
    expect(paths(noCodes.body)).toEqual(['codes']);

    const notObject = await sut.request('POST', '/v1/pools', { role: 'operator', rawBody: '[1]' });
    expect(notObject.status).toBe(400);
    // Nothing was created by any of these.
    const [{ n }] = await sut.db.dataSource.query(`select count(*)::int as n from reward_pools where key in ('dups', 'small', 'empty')`);
    expect(n).toBe(0);
  });

  it('pools need the operator role; unknown pools are 404', async () => {
    expect((await sut.request('POST', '/v1/pools', { role: 'support', body: { key: 'p', kind: 'points' } })).status).toBe(403);
    expect((await sut.request('GET', '/v1/pools/welcome-points', { role: 'ingest' })).status).toBe(403);
    expect((await sut.request('GET', '/v1/pools/welcome-points')).status).toBe(401);
    const missing = await sut.request('GET', '/v1/pools/nowhere', { role: 'operator' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('POST /v1/pools/:key/top-up adds budget and codes (200); the same id again adds nothing', async () => {
    await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: 'restocked', kind: 'coupon', budget: 1, codes: ['OLD-1'] } });
    await activities.issueReward(issueInput({ type: 'coupon', pool: 'restocked' }));
    const body = { id: 'december', budget: 2, codes: ['NEW-1', 'NEW-2'] };
    const topped = await sut.request('POST', '/v1/pools/restocked/top-up', { role: 'operator', body });
    expect(topped.status).toBe(200);
    expect(topped.body).toMatchObject({ applied: true, pool: { key: 'restocked', budget: 3, used: 1, left: 2, codes: { total: 3, issued: 1, left: 2 } } });
    const retried = await sut.request('POST', '/v1/pools/restocked/top-up', { role: 'operator', body });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ applied: false, pool: { budget: 3, codes: { total: 3 } } });
    const reused = await sut.request('POST', '/v1/pools/restocked/top-up', { role: 'operator', body: { id: 'december', budget: 5 } });
    expect(reused.status).toBe(409);
    expect(reused.body.error).toMatchObject({ code: 'top_up_id_reused', details: [{ path: 'id', message: 'names another top-up of this pool' }] });
    const issued = await activities.issueReward(issueInput({ type: 'coupon', pool: 'restocked' }));
    expect(issued.outcome === 'issued' && issued.reward.code).toBe('NEW-1');
    // Without an id, each request adds.
    for (let i = 0; i < 2; i++) expect((await sut.request('POST', '/v1/pools/restocked/top-up', { role: 'operator', body: { budget: 1 } })).body.applied).toBe(true);
    const restocked = (await sut.request('GET', '/v1/pools/restocked', { role: 'operator' })).body;
    expect(restocked).toMatchObject({ budget: 5, used: 2 });
    // The pool lists its top-ups, newest first: the retried one once.
    expect(restocked.topUps.total).toBe(3);
    expect(restocked.topUps.latest.map((t: { budgetAdded: number | null; codesAdded: number }) => [t.budgetAdded, t.codesAdded])).toEqual([
      [1, 0],
      [1, 0],
      [2, 2],
    ]);
    expect(restocked.topUps.latest[2]).toEqual({ id: 'december', budgetAdded: 2, codesAdded: 2, at: expect.any(String) });
  });

  it('top-up: 400 at the path of every problem, 404 for no pool, 403 below operator; nothing is added', async () => {
    await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: 'unlimited-points', kind: 'points' } });
    await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: 'held-codes', kind: 'coupon', budget: 10, codes: ['H-1', 'H-2'] } });
    const topUp = (key: string, body: unknown, role: 'operator' | 'support' = 'operator') => sut.request('POST', `/v1/pools/${key}/top-up`, { role, body });
    const problems = async (key: string, body: unknown) => {
      const res = await topUp(key, body);
      expect(res.status).toBe(400);
      return res.body.error.details;
    };
    expect(await problems('held-codes', {})).toEqual([{ path: '', message: 'a top-up adds `budget`, `codes` or `generate`' }]);
    expect(paths({ error: { details: await problems('held-codes', { budget: -1, codes: [], colour: 'red', id: '' }) } })).toEqual(['budget', 'codes', 'colour', 'id']);
    expect(paths({ error: { details: await problems('held-codes', { codes: ['X'], generate: { pattern: '#', count: 1 } }) } })).toEqual(['generate']);
    expect(await problems('held-codes', { budget: 2e15 })).toEqual([{ path: 'budget', message: "at most 1,000,000,000,000,000, the most a pool's budget holds" }]);
    expect(await problems('unlimited-points', { budget: 5 })).toEqual([
      { path: 'budget', message: 'cannot be added: pool "unlimited-points" is unlimited (it has no budget to add to)' },
    ]);
    expect(paths({ error: { details: await problems('unlimited-points', { codes: ['A'] }) } })).toEqual(['codes']);
    expect(await problems('held-codes', { budget: 5, codes: ['N-1', 'H-2'] })).toEqual([{ path: 'codes[1]', message: '"H-2" is in the pool already' }]);
    // A repeat in the list and a code the pool holds, in one answer: one fix, not two round trips.
    expect(await problems('held-codes', { codes: ['N-1', 'H-2', 'N-1'] })).toEqual([
      { path: 'codes[2]', message: '"N-1" repeats codes[0]' },
      { path: 'codes[1]', message: '"H-2" is in the pool already' },
    ]);
    // Text PostgreSQL cannot store is refused at its path, never a 500.
    expect(paths({ error: { details: await problems('held-codes', { id: 'x\ud800', codes: ['ok', 'nul\u0000'] }) } })).toEqual(['codes[1]', 'id']);
    expect((await sut.request('GET', '/v1/pools/held-codes', { role: 'operator' })).body).toMatchObject({ budget: 10, codes: { total: 2 } });

    const missing = await topUp('nowhere', { budget: 1 });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    expect((await topUp('held-codes', { budget: 1 }, 'support')).status).toBe(403);
    expect((await sut.request('GET', '/v1/pools/held-codes', { role: 'operator' })).body.budget).toBe(10);
  });

  it('a code another client would send trimmed is refused at its path, so one code cannot be held twice', async () => {
    // A CSV with Windows line endings split on \n: every code ends in CR. The CLI and console trim; a script does not.
    const crlf = await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: 'partner', kind: 'coupon', codes: ['A1\r', 'A2\r'] } });
    expect(crlf.status).toBe(400);
    expect(crlf.body.error.details).toEqual([
      { path: 'codes[0]', message: expect.stringMatching(/^"A1\\r" holds U\+000D, a control or invisible format character/) },
      { path: 'codes[1]', message: expect.stringMatching(/^"A2\\r" holds U\+000D/) },
    ]);
    expect((await sut.request('GET', '/v1/pools/partner', { role: 'operator' })).status).toBe(404);

    expect((await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: 'partner', kind: 'coupon', codes: ['A1', 'A2'] } })).status).toBe(201);
    const topUp = await sut.request('POST', '/v1/pools/partner/top-up', {
      role: 'operator',
      body: { codes: ['A1\r', ' A2', 'A1\u200b', '\ufeffA2', 'E\u0301', 'a1'] },
    });
    expect(topUp.status).toBe(400);
    // Codes are compared exactly: `a1` is not `A1`, and only the five look-alikes are refused.
    expect(paths(topUp.body)).toEqual(['codes[0]', 'codes[1]', 'codes[2]', 'codes[3]', 'codes[4]']);
    const pattern = await sut.request('POST', '/v1/pools/partner/top-up', { role: 'operator', body: { generate: { pattern: 'A# ', count: 1 } } });
    expect(pattern.status).toBe(400);
    expect(pattern.body.error.details).toEqual([{ path: 'generate.pattern', message: expect.stringMatching(/^"A# " starts or ends with whitespace/) }]);
    expect((await sut.request('GET', '/v1/pools/partner', { role: 'operator' })).body).toMatchObject({ codes: { total: 2 }, topUps: { total: 0 } });
  });

  it('a pool is created with a budget of at most 10^15', async () => {
    const big = await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: 'huge', kind: 'points', budget: 1.5e15 } });
    expect(big.status).toBe(400);
    expect(big.body.error.details).toEqual([{ path: 'budget', message: "at most 1,000,000,000,000,000, the most a pool's budget holds" }]);
    expect((await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: 'huge', kind: 'points', budget: 1e15 } })).status).toBe(201);
  });

  it('POST /v1/rewards/:id/redeem marks a coupon used; twice is fine; a later reclaim finds it unreclaimable', async () => {
    await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: 'redeemable', kind: 'coupon', codes: ['R-1', 'R-2'] } });
    const input = issueInput({ type: 'coupon', pool: 'redeemable' }, { userId: 'u-shop' });
    const issued = await activities.issueReward(input);
    if (issued.outcome !== 'issued') throw new Error('not issued');
    // It takes no fields (edges probe: a backdating redeemedAt was answered 200 and ignored); nothing is redeemed by a refused request.
    const backdated = await sut.request('POST', `/v1/rewards/${issued.reward.id}/redeem`, { role: 'ingest', body: { redeemedAt: '2020-01-01T00:00:00Z' } });
    expect({ status: backdated.status, paths: backdated.body.error?.details.map((d: { path: string }) => d.path) }).toEqual({ status: 400, paths: ['redeemedAt'] });
    expect((await sut.request('POST', `/v1/rewards/${issued.reward.id}/redeem`, { role: 'ingest', body: [1, 2, 3] })).status).toBe(400);
    const first = await sut.request('POST', `/v1/rewards/${issued.reward.id}/redeem`, { role: 'ingest' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: issued.reward.id, kind: 'coupon', code: 'R-1', status: 'redeemed', redeemedAt: expect.any(String) });
    const second = await sut.request('POST', `/v1/rewards/${issued.reward.id}/redeem`, { role: 'ingest' });
    expect(second.status).toBe(200);
    expect(second.body.redeemedAt).toBe(first.body.redeemedAt);
    const reclaimed = await activities.reclaimRewards({ idempotencyKeys: [input.idempotencyKey], eventId: 'ord-1' });
    expect(reclaimed.results[0].outcome).toBe('unreclaimable');
    expect((await sut.request('POST', `/v1/rewards/${issued.reward.id}/redeem`, { role: 'ingest' })).body.status).toBe('unreclaimable');
  });

  it('redeem: 409 for a coupon past its expiry, which stays issued (it was marked redeemed)', async () => {
    await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: 'short-lived', kind: 'coupon', codes: ['S-1', 'S-2'], validFor: 'PT1S' } });
    const expiring = await activities.issueReward(issueInput({ type: 'coupon', pool: 'short-lived' }, { userId: 'u-late' }));
    const fresh = await activities.issueReward(issueInput({ type: 'coupon', pool: 'short-lived' }, { userId: 'u-early' }));
    if (expiring.outcome !== 'issued' || fresh.outcome !== 'issued') throw new Error('not issued');
    expect((await sut.request('POST', `/v1/rewards/${fresh.reward.id}/redeem`, { role: 'ingest' })).body.status).toBe('redeemed');
    await new Promise((r) => setTimeout(r, 1_100));
    const late = await sut.request('POST', `/v1/rewards/${expiring.reward.id}/redeem`, { role: 'ingest' });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'not_redeemable', message: expect.stringMatching(/expired at \d{4}-/) });
    const [row] = await sut.db.dataSource.query(`select status, redeemed_at from rewards where id = $1`, [expiring.reward.id]);
    expect(row).toEqual({ status: 'issued', redeemed_at: null });
    // Redeemed in time, it stays redeemed once past its expiry.
    expect((await sut.request('POST', `/v1/rewards/${fresh.reward.id}/redeem`, { role: 'ingest' })).status).toBe(200);
  });

  it('redeem: 409 for a reclaimed coupon or a non-coupon, 404 for an unknown id, 403 without the ingest role', async () => {
    const couponInput = issueInput({ type: 'coupon', pool: 'redeemable' }, { userId: 'u-refunded' });
    const coupon = await activities.issueReward(couponInput);
    const points = await activities.issueReward(issueInput({ type: 'points', amount: 5 }));
    if (coupon.outcome !== 'issued' || points.outcome !== 'issued') throw new Error('not issued');
    await activities.reclaimRewards({ idempotencyKeys: [couponInput.idempotencyKey], eventId: 'ord-1' });

    const reclaimed = await sut.request('POST', `/v1/rewards/${coupon.reward.id}/redeem`, { role: 'ingest' });
    expect(reclaimed.status).toBe(409);
    expect(reclaimed.body.error).toMatchObject({ code: 'not_redeemable', message: expect.stringContaining('reclaimed') });
    const notCoupon = await sut.request('POST', `/v1/rewards/${points.reward.id}/redeem`, { role: 'ingest' });
    expect(notCoupon.status).toBe(409);
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      expect((await sut.request('POST', `/v1/rewards/${id}/redeem`, { role: 'ingest' })).status).toBe(404);
    }
    expect((await sut.request('POST', `/v1/rewards/${points.reward.id}/redeem`, { role: 'operator' })).status).toBe(403);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = await sut.request('GET', '/docs');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/pools', '/v1/pools/{key}', '/v1/pools/{key}/top-up', '/v1/rewards/{id}/redeem']));
  });
});
