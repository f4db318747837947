import { launchCampaign, sendEvent } from './support/campaign-api';
import { spendTwenty } from './support/campaign-fixtures';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/** The canvas's own read endpoints, and preview's failed conditions, against the real API, database and Temporal. */
const spend = spendTwenty('spend-api', { steps: [{ id: 'tell', type: 'message', channel: 'inapp', template: 'well-done' }] });

describe('canvas API: vocabulary, live journeys, preview details', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest();
    await launchCampaign(sut, spend);
  });
  afterAll(async () => sut?.stop());

  it('GET /v1/vocabulary: event types and property keys of recent events, profile attribute keys, and the compiler lists', async () => {
    await sut.request('PUT', '/v1/users/vic', { role: 'ingest', body: { attributes: { level: 3, birthday: '1990-05-17' } } });
    await sut.request('PUT', '/v1/users/val', { role: 'ingest', body: { attributes: { vip: true } } });
    await sendEvent(sut, { id: 'voc-1', type: 'order.completed', userId: 'vic', properties: { amount: 5, cityId: 2 } });
    await sendEvent(sut, { id: 'voc-2', type: 'order.completed', userId: 'val', properties: { amount: 7, productId: 1 } });
    await sendEvent(sut, { id: 'voc-3', type: 'post.created', userId: 'vic', properties: { words: 12 } });

    const res = await sut.request('GET', '/v1/vocabulary', { role: 'operator' });
    expect(res.status).toBe(200);
    expect(res.body.eventTypes).toEqual([
      { type: 'order.completed', count: 2, properties: ['amount', 'cityId', 'productId'], truncated: false },
      { type: 'post.created', count: 1, properties: ['words'], truncated: false },
    ]);
    expect(res.body.profileAttributes).toEqual(['birthday', 'level', 'vip']);
    expect(res.body.profileAttributesTruncated).toBe(false);
    expect(res.body.aggregateFunctions).toEqual(['count', 'sum', 'min', 'max', 'avg', 'distinct']);
    expect(res.body.functions).toEqual(expect.arrayContaining(['count', 'exists', 'daysSince', 'monthDay', 'now', 'atLeast']));
    expect(res.body.facts).toEqual(expect.arrayContaining(['event.type', 'journey.entries']));

    // The sample bounds what is read: the latest event only.
    const one = await sut.request('GET', '/v1/vocabulary?sample=1', { role: 'operator' });
    expect(one.body.eventTypes).toEqual([{ type: 'post.created', count: 1, properties: ['words'], truncated: false }]);
    expect(one.body.sample).toBe(1);
  });

  it('GET /v1/vocabulary lists a bounded number of keys, however many the events carry, and says so', async () => {
    // Events sent with an ingest key: each with 150 keys, three of them with 150 keys more (450 in all).
    const keys = (from: number) => Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`k${String(from + i).padStart(4, '0')}`, 1]));
    for (const [i, from] of [0, 150, 300].entries()) await sendEvent(sut, { id: `wide-${i}`, type: 'wide.event', userId: 'wide', properties: keys(from) });
    await sut.request('PUT', '/v1/users/wide', { role: 'ingest', body: { attributes: keys(0) } });
    const res = await sut.request('GET', '/v1/vocabulary', { role: 'operator' });
    const wide = res.body.eventTypes.find((t: { type: string }) => t.type === 'wide.event');
    // The first 100 keys of each event are read, and at most 200 are listed.
    expect(wide.properties).toHaveLength(200);
    expect(wide.truncated).toBe(true);
    expect(res.body.profileAttributes.length).toBeLessThanOrEqual(500);
    expect(res.body.profileAttributes).toEqual(expect.arrayContaining(['k0000']));
  });

  it('GET /v1/vocabulary refuses a bad sample with its path, and a support key', async () => {
    const bad = await sut.request('GET', '/v1/vocabulary?sample=0', { role: 'operator' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('sample');
    const big = await sut.request('GET', '/v1/vocabulary?sample=20000', { role: 'operator' });
    expect(big.status).toBe(400);
    expect((await sut.request('GET', '/v1/vocabulary', { role: 'support' })).status).toBe(403);
  });

  it('GET /v1/campaigns/:key/journeys lists the journeys waiting now, and preview against one answers from its live state with the failed parts and values', async () => {
    await sut.request('PUT', '/v1/users/lia', { role: 'ingest', body: { attributes: { level: 2 } } });
    await sendEvent(sut, { id: 'lia-1', type: 'order.completed', userId: 'lia', properties: { amount: 8 } });
    const live = await eventually(async () => {
      const r = await sut.request('GET', '/v1/campaigns/spend-api/journeys', { role: 'operator' });
      return r.body.journeys?.some((j: { userId: string }) => j.userId === 'lia') ? r.body.journeys : undefined;
    }, 60_000);
    expect(live.find((j: { userId: string }) => j.userId === 'lia')).toMatchObject({ userId: 'lia', workflowId: 'journey:spend-api:lia', version: 1, state: 'collecting' });

    const p = await sut.request('POST', '/v1/campaigns/spend-api/preview', { role: 'support', body: { userId: 'lia', event: { type: 'order.completed', properties: { amount: 3 } } } });
    expect(p.status).toBe(200);
    expect(p.body.basedOn).toBe('journey');
    expect(p.body.transitions).toEqual([]);
    // The live aggregate: 8 already received plus the 3 previewed.
    expect(p.body.conditions).toEqual([
      expect.objectContaining({ state: 'collecting', text: "sum('order.completed', 'amount') >= 20", values: { "sum('order.completed', 'amount')": '11' } }),
    ]);

    const outsider = await sut.request('POST', '/v1/campaigns/spend-api/preview', { role: 'support', body: { userId: 'nobody', event: { type: 'order.completed', properties: { amount: 0 } } } });
    expect(outsider.body).toMatchObject({ basedOn: 'campaign', entered: false });
    // Both fail for a stranger with no profile: the entry condition, then the audience (a missing attribute reads null).
    expect(outsider.body.conditions).toEqual([
      { where: 'entry.if', text: 'event.amount > 0', values: { 'event.amount': '0' } },
      { where: 'audience', text: 'user.level >= 2', values: { 'user.level': 'null' } },
    ]);
  });

  it('GET /v1/campaigns/:key/journeys: 404 for an unknown campaign, 400 for a bad limit', async () => {
    expect((await sut.request('GET', '/v1/campaigns/nope/journeys', { role: 'operator' })).status).toBe(404);
    const bad = await sut.request('GET', '/v1/campaigns/spend-api/journeys?limit=x', { role: 'operator' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('limit');
  });
});
