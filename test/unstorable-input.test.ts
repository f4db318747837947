import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { spendAndPost } from './support/campaign-fixtures';
import { startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

type Role = 'ingest' | 'support' | 'operator';
const paths = (body: { error?: { details?: Array<{ path: string }> } }) => (body.error?.details ?? []).map((d) => d.path).sort();

/**
 * Values JSON and zod let through but PostgreSQL or Temporal cannot hold:
 * each is a 400 naming the exact path, and nothing of the request is stored.
 */
describe('input that cannot be stored is refused with its path', () => {
  let sut: SystemUnderTest;
  const campaign = spendAndPost('unstorable');
  beforeAll(async () => {
    sut = await startSystemUnderTest();
    expect((await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: 'vip-20-off', kind: 'coupon', codes: ['A-1'] } })).status).toBe(201);
    expect((await sut.request('POST', '/v1/campaigns', { role: 'operator', body: campaign })).status).toBe(201);
    expect((await sut.request('POST', '/v1/campaigns/unstorable/activate', { role: 'operator', body: {} })).status).toBe(200);
  });
  afterAll(async () => sut?.stop());

  const event = { id: 'ok-1', type: 'order.completed', userId: 'u-1', properties: { amount: 3 } };
  const cases: Array<[name: string, method: string, path: string, role: Role, body: unknown, expected: string[]]> = [
    ['lone surrogate in an event id', 'POST', '/v1/events', 'ingest', { ...event, id: 'e\ud800' }, ['id']],
    ['lone surrogate in a user id', 'POST', '/v1/events', 'ingest', { ...event, userId: 'u\udc00' }, ['userId']],
    ['lone surrogate deep in properties', 'POST', '/v1/events', 'ingest', { ...event, properties: { a: { b: [1, '\ud800x'] } } }, ['properties.a.b[1]']],
    ['lone surrogate in a property key', 'POST', '/v1/events', 'ingest', { ...event, properties: { a: { 'k\ud800': 1 } } }, ['properties.a.k\ud800']],
    ['year 0000', 'POST', '/v1/events', 'ingest', { ...event, occurredAt: '0000-06-01T00:00:00Z' }, ['occurredAt']],
    ['offset past 15:59', 'POST', '/v1/events', 'ingest', { ...event, occurredAt: '2026-01-01T00:00:00+16:00' }, ['occurredAt']],
    ['offset that leaves year 9999', 'POST', '/v1/events', 'ingest', { ...event, occurredAt: '9999-12-31T23:00:00-02:00' }, ['occurredAt']],
    [
      'one bad event in a batch',
      'POST',
      '/v1/events',
      'ingest',
      { events: [{ ...event, id: 'b-0' }, { ...event, id: 'b-1' }, { ...event, id: 'b-2', occurredAt: '2026-01-01T00:00:00-23:00' }] },
      ['events[2].occurredAt'],
    ],
    ['a user id that is a dot segment', 'POST', '/v1/events', 'ingest', { ...event, userId: '.' }, ['userId']],
    ['an event id that is a dot segment', 'POST', '/v1/events', 'ingest', { ...event, id: '..' }, ['id']],
    ['NUL in an event id', 'POST', '/v1/events', 'ingest', { ...event, id: 'e\u0000' }, ['id']],
    ['NUL deep in properties', 'POST', '/v1/events', 'ingest', { ...event, properties: { a: [{ b: 'x\u0000y' }] } }, ['properties.a[0].b']],
    ['NUL in a property key', 'POST', '/v1/events', 'ingest', { ...event, properties: { 'k\u0000': 1 } }, ['properties.k\u0000']],
    ['NUL in a coupon code', 'POST', '/v1/pools', 'operator', { key: 'p-nul', kind: 'coupon', codes: ['A', 'B\u0000'] }, ['codes[1]']],
    ['NUL in a top-up code', 'POST', '/v1/pools/vip-20-off/top-up', 'operator', { codes: ['C\u0000'] }, ['codes[0]']],
    ['lone surrogate in a profile attribute', 'PUT', '/v1/users/u-1', 'ingest', { attributes: { tags: ['a', '\udfff'] } }, ['attributes.tags[1]']],
    ['lone surrogate in a profile attribute name', 'PUT', '/v1/users/u-1', 'ingest', { attributes: { 'n\ud800': 1 } }, ['attributes.n\ud800']],
    ['lone surrogate in a campaign name', 'POST', '/v1/campaigns', 'operator', { ...campaign, key: 'c-1', name: 'n\ud800' }, ['name']],
    ['lone surrogate in a condition', 'POST', '/v1/campaigns', 'operator', { ...campaign, key: 'c-2', audience: "user.x == '\ud800'" }, ['audience']],
    ['lone surrogate in a new version', 'PUT', '/v1/campaigns/unstorable', 'operator', { ...campaign, key: undefined, description: 'd\ud800' }, ['description']],
    ['campaign timestamp in year 0000', 'POST', '/v1/campaigns', 'operator', { ...campaign, key: 'c-3', schedule: { startsAt: '0000-01-01T00:00:00Z' } }, ['schedule.startsAt']],
    ['maxEntries past int', 'POST', '/v1/campaigns', 'operator', { ...campaign, key: 'c-4', participation: { maxEntries: 2 ** 31 } }, ['participation.maxEntries']],
    ['activating a version past int', 'POST', '/v1/campaigns/unstorable/activate', 'operator', { version: 2 ** 40 }, ['version']],
    ['perUserLimit past int', 'POST', '/v1/pools', 'operator', { key: 'p-1', kind: 'points', perUserLimit: 2 ** 40 }, ['perUserLimit']],
    ['lone surrogate in a coupon code', 'POST', '/v1/pools', 'operator', { key: 'p-2', kind: 'coupon', codes: ['ok', 'a\ud800'] }, ['codes[1]']],
    ['lone surrogate in a pool name', 'POST', '/v1/pools', 'operator', { key: 'p-3', kind: 'coupon', name: '\ud800', codes: ['x'] }, ['name']],
    ['lone surrogate in a preview user', 'POST', '/v1/campaigns/unstorable/preview', 'operator', { userId: 'u\ud800', event: { type: 'order.completed' } }, ['userId']],
    ['year 0000 in a preview', 'POST', '/v1/campaigns/unstorable/preview', 'operator', { userId: 'u-1', event: { type: 'order.completed', occurredAt: '0000-01-01T00:00:00Z' } }, ['event.occurredAt']],
    ['lone surrogate in a cancel reason', 'POST', '/v1/events/ok-1/cancel', 'support', { reason: '\ud800' }, ['reason']],
  ];

  it.each(cases)('%s: 400 at its path', async (_name, method, path, role, body, expected) => {
    const res = await sut.request(method, path, { role, body });
    expect({ status: res.status, paths: paths(res.body) }).toEqual({ status: 400, paths: expected });
  });

  // JSON.parse reads 1e400 as Infinity, which JSON.stringify writes as null: stored, it would silently be null.
  const infinite: Array<[name: string, method: string, path: string, role: Role, rawBody: string, expected: string[]]> = [
    ['1e400 in event properties', 'POST', '/v1/events', 'ingest', '{"id":"inf-1","type":"order.completed","userId":"u-1","properties":{"a":1e400,"b":[-1e400]}}', ['properties.a', 'properties.b[0]']],
    ['1e400 in a profile attribute', 'PUT', '/v1/users/u-1', 'ingest', '{"attributes":{"score":1e400}}', ['attributes.score']],
  ];

  it.each(infinite)('%s: 400 at its path, not a silent null', async (_name, method, path, role, rawBody, expected) => {
    const res = await sut.request(method, path, { role, rawBody });
    expect({ status: res.status, paths: paths(res.body) }).toEqual({ status: 400, paths: expected });
  });

  describe('bodies that are not plain UTF-8 JSON', () => {
    const post = async (body: Buffer | string, contentType = 'application/json') => {
      const res = await fetch(`${sut.baseUrl}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${sut.keys.ingest}`, 'content-type': contentType }, body });
      return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
    };

    it('refuses bytes that are not UTF-8 instead of replacing them (two ids were one, the second a duplicate)', async () => {
      for (const last of [0xfe, 0xff]) {
        const body = Buffer.concat([Buffer.from('{"id":"utf-'), Buffer.from([last]), Buffer.from('","type":"order.completed","userId":"u-1"}')]);
        expect(await post(body)).toEqual({ status: 400, body: { error: expect.objectContaining({ code: 'invalid_body', message: expect.stringMatching(/^The body is not UTF-8 text/) }) } });
      }
      // Latin-1 is not UTF-8 either, whatever the charset says.
      const latin1 = Buffer.from('{"id":"utf-josé","type":"order.completed","userId":"u-1","properties":{"name":"José"}}', 'latin1');
      expect((await post(latin1, 'application/json; charset=iso-8859-1')).status).toBe(400);
    });

    it('names a __proto__ key instead of calling the body invalid JSON', async () => {
      const res = await post('{"id":"proto-1","type":"order.completed","userId":"u-1","properties":{"__proto__":{"x":1}}}');
      expect(res).toEqual({ status: 400, body: { error: expect.objectContaining({ code: 'invalid_body', message: expect.stringMatching(/"__proto__" or "constructor.prototype" key/) }) } });
      expect((await post('{"id":')).body.error.message).toMatch(/not valid JSON/);
    });

    describe('Content-Encoding', () => {
      const send = async (body: Buffer, encoding: string) => {
        const headers = { authorization: `Bearer ${sut.keys.ingest}`, 'content-type': 'application/json', 'content-encoding': encoding };
        const res = await fetch(`${sut.baseUrl}/v1/events`, { method: 'POST', headers, body });
        return { status: res.status, body: (await res.json()) as { accepted?: number; error?: { code: string; message: string } } };
      };
      // A type no campaign takes: stored, and no journey to start (the next test counts what the refused requests stored).
      const json = (id: string) => Buffer.from(JSON.stringify({ events: [1, 2].map((n) => ({ ...event, type: 'encoded.body', id: `${id}-${n}` })) }));

      it('decodes gzip, deflate and br bodies (a compressed body was read as it came: "not UTF-8")', async () => {
        expect(await send(gzipSync(json('gz')), 'gzip')).toEqual({ status: 202, body: expect.objectContaining({ accepted: 2 }) });
        expect(await send(deflateSync(json('df')), 'Deflate')).toEqual({ status: 202, body: expect.objectContaining({ accepted: 2 }) });
        expect(await send(brotliCompressSync(json('br')), 'br')).toEqual({ status: 202, body: expect.objectContaining({ accepted: 2 }) });
        const stored = await sut.db.dataSource.query(`select id from events where id ~ '^(gz|df|br)-' order by id`);
        expect(stored.map((r: { id: string }) => r.id)).toEqual(['br-1', 'br-2', 'df-1', 'df-2', 'gz-1', 'gz-2']);
      });

      it('answers a coding it does not decode with 415 naming it, and a body that is not what its header says with 400', async () => {
        const unknown = await send(json('zz'), 'compress');
        expect(unknown).toEqual({ status: 415, body: { error: expect.objectContaining({ message: expect.stringMatching(/^Content-Encoding "compress" is not one Kairos decodes/) }) } });
        const notGzip = await send(json('ng'), 'gzip');
        expect(notGzip).toEqual({ status: 400, body: { error: expect.objectContaining({ code: 'invalid_body', message: expect.stringMatching(/^The body is not valid gzip data/) }) } });
        const truncated = gzipSync(json('tr'));
        expect((await send(truncated.subarray(0, truncated.length - 12), 'gzip')).status).toBe(400);
      });

      it('holds the decoded body to the body limit: a few KB that inflate past 5 MB are a 413', async () => {
        const bomb = gzipSync(Buffer.concat([Buffer.from('{"id":"bomb","type":"order.completed","userId":"u-1","properties":{"pad":"'), Buffer.alloc(6 * 1024 * 1024, 'a'), Buffer.from('"}}')]));
        expect(bomb.length).toBeLessThan(64 * 1024);
        expect(await send(bomb, 'gzip')).toEqual({ status: 413, body: { error: expect.objectContaining({ code: 'payload_too_large' }) } });
      });
    });

    it('takes an empty body with a JSON content type as no body: a DELETE answers, a route that needs a body says so at its path', async () => {
      const headers = { authorization: `Bearer ${sut.keys.admin}`, 'content-type': 'application/json' };
      // A DELETE of a source that does not exist: its 404, not a 400 about the empty body.
      const removed = await fetch(`${sut.baseUrl}/v1/sources/no-such-source`, { method: 'DELETE', headers });
      expect({ status: removed.status, code: ((await removed.json()) as { error: { code: string } }).error.code }).toEqual({ status: 404, code: 'not_found' });
      const empty = await post('');
      expect(empty.status).toBe(400);
      expect(empty.body.error.message).not.toMatch(/Body cannot be empty/);
    });

    it('answers a form-encoded body with 415: the API takes JSON only', async () => {
      expect((await post('id=form-1&type=order.completed&userId=u-1', 'application/x-www-form-urlencoded')).status).toBe(415);
    });

    it('answers JSON sent as text/plain (fetch without a header) with 415 saying what to send, not a 400 "expected object"', async () => {
      const json = JSON.stringify({ id: 'plain-1', type: 'order.completed', userId: 'u-1' });
      expect(await post(json, 'text/plain;charset=UTF-8')).toEqual({
        status: 415,
        body: { error: expect.objectContaining({ code: 'invalid_body', message: 'Content-Type "text/plain" is not one Kairos reads: send JSON with Content-Type: application/json.' }) },
      });
      expect((await post(json, 'application/xml')).body.error.message).toMatch(/^Content-Type "application\/xml" is not one Kairos reads/);
      // No body at all under another type is no body: the route says at its path that it needs one.
      const empty = await post('', 'text/plain');
      expect({ status: empty.status, message: empty.body.error.message }).toEqual({ status: 400, message: expect.not.stringMatching(/Content-Type/) });
    });
  });

  it('stored nothing of the refused requests', async () => {
    const [{ events }] = await sut.db.dataSource.query(`select count(*)::int as events from events where type <> 'encoded.body'`);
    const [{ pools }] = await sut.db.dataSource.query(`select count(*)::int as pools from reward_pools where key like 'p-%'`);
    const [{ campaigns }] = await sut.db.dataSource.query(`select count(*)::int as campaigns from campaigns where key like 'c-%'`);
    const [{ versions }] = await sut.db.dataSource.query(`select count(*)::int as versions from campaign_versions where campaign_key = 'unstorable'`);
    expect({ events, pools, campaigns, versions }).toEqual({ events: 0, pools: 0, campaigns: 0, versions: 1 });
  });

  it('still takes the well-formed edge values: a surrogate pair, offset ±15:59, years 0001 and 9999, ids with dots', async () => {
    const res = await sut.request('POST', '/v1/events', {
      role: 'ingest',
      body: {
        events: [
          { ...event, id: 'pair-😀', userId: 'u-😀', properties: { '😀': '😀' } },
          { ...event, id: 'early', occurredAt: '0001-01-01T00:00:00-15:59' },
          { ...event, id: 'late', occurredAt: '9999-12-31T23:59:59+15:59' },
          { ...event, id: '...', userId: '.u' },
        ],
      },
    });
    expect({ status: res.status, accepted: res.body.accepted }).toEqual({ status: 202, accepted: 4 });
    expect((await sut.request('GET', '/v1/events/...', { role: 'support' })).body.userId).toBe('.u');
    const detail = await sut.request('GET', `/v1/events/${encodeURIComponent('pair-😀')}`, { role: 'support' });
    expect({ status: detail.status, userId: detail.body.userId, properties: detail.body.properties }).toEqual({ status: 200, userId: 'u-😀', properties: { '😀': '😀' } });
  });

  describe('JSON nested deeper than 128 levels', () => {
    /** `levels` arrays around 1, as JSON text: a test's own JSON.stringify could not build the deepest ones. */
    const arrays = (levels: number) => '['.repeat(levels) + '1' + ']'.repeat(levels);
    const send = (method: string, path: string, role: Role, rawBody: string) => sut.request(method, path, { role, rawBody, headers: { 'content-type': 'application/json' } });
    const refusal = (res: { status: number; body: { error?: { details?: Array<{ path: string; message: string }> } } }) => ({
      status: res.status,
      details: res.body.error?.details,
    });
    const tooDeep = (path: string) => ({ status: 400, details: [{ path, message: 'nests deeper than 128 levels of arrays and objects' }] });
    const campaignWith = (key: string, webhookBody: string) =>
      JSON.stringify({
        key,
        name: 'deep webhook',
        entry: { on: 'order.completed' },
        initial: 'calling',
        states: { calling: { actions: { steps: [{ id: 'call', type: 'webhook', url: 'https://hooks.example.com/x', body: '@' }] }, transitions: [{ to: 'done', on: 'order.paid' }] }, done: { end: true } },
      }).replace('"@"', webhookBody);

    it('is a 400 at the path where it goes too deep, on every route, before anything is stored (a campaign 2,500 deep was a 500)', async () => {
      // Root object, properties, then 127 arrays: the 129th level is the array at properties.a + 126 x [0].
      const event = await send('POST', '/v1/events', 'ingest', `{"id":"deep-1","type":"order.completed","userId":"u-deep","properties":{"a":${arrays(127)}}}`);
      expect(refusal(event)).toEqual(tooDeep(`properties.a${'[0]'.repeat(126)}`));
      const inBatch = await send('POST', '/v1/events', 'ingest', `{"events":[{"id":"deep-2","type":"order.completed","userId":"u-deep","properties":{"a":${arrays(2_500)}}}]}`);
      expect(refusal(inBatch)).toEqual(tooDeep(`events[0].properties.a${'[0]'.repeat(124)}`));
      const profile = await send('PUT', '/v1/users/u-deep', 'ingest', `{"attributes":{"a":${arrays(2_500)}}}`);
      expect(refusal(profile)).toEqual(tooDeep(`attributes.a${'[0]'.repeat(126)}`));
      for (const path of ['/v1/campaigns', '/v1/campaigns/validate']) {
        const campaign = await send('POST', path, 'operator', campaignWith('c-deep', arrays(2_500)));
        expect(refusal(campaign)).toEqual(tooDeep(`states.calling.actions.steps[0].body${'[0]'.repeat(122)}`));
      }
      expect((await sut.request('GET', '/v1/events/deep-1', { role: 'support' })).status).toBe(404);
      expect((await sut.request('GET', '/v1/campaigns/c-deep', { role: 'operator' })).status).toBe(404);
    });

    it('answers at once for two million levels (4 MB, under the body limit): finding the path is linear in the body', async () => {
      const res = await send('POST', '/v1/events', 'ingest', `{"id":"deep-3","type":"order.completed","userId":"u-deep","properties":{"a":${arrays(2_000_000)}}}`);
      expect(refusal(res)).toEqual(tooDeep(`properties.a${'[0]'.repeat(126)}`));
    });

    it('takes 128 levels, stores them and carries them to the journey', async () => {
      const event = await send('POST', '/v1/events', 'ingest', `{"id":"deep-128","type":"order.completed","userId":"u-deep","properties":{"amount":3,"a":${arrays(126)}}}`);
      expect({ status: event.status, accepted: event.body.accepted, journeys: event.body.results?.[0]?.journeys }).toEqual({
        status: 202,
        accepted: 1,
        journeys: [expect.stringContaining('unstorable')],
      });
      const stored = await sut.request('GET', '/v1/events/deep-128', { role: 'support' });
      expect(JSON.stringify(stored.body.properties.a)).toBe(arrays(126));
      const campaign = await send('POST', '/v1/campaigns', 'operator', campaignWith('deep-webhook', arrays(122)));
      expect(campaign.status).toBe(201);
    });
  });
});
