import { CampaignsRepository } from '../src/store/repositories/campaigns.repository';
import { TransitionsRepository } from '../src/store/repositories/transitions.repository';
import { stateQuery } from '../src/workflows/journey/contract';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

const welcome = {
  key: 'welcome',
  name: 'Welcome on first order',
  entry: { on: 'order.completed' },
  initial: 'welcomed',
  states: { welcomed: { end: true } },
};

describe('walking skeleton: HTTP -> PostgreSQL -> Temporal -> activity -> PostgreSQL', () => {
  let sut: SystemUnderTest;

  beforeAll(async () => {
    sut = await startSystemUnderTest({
      beforeStart: async (db) => {
        await new CampaignsRepository(db.dataSource).saveActive('welcome', welcome);
      },
    });
  });
  afterAll(async () => sut?.stop());

  it('stores an event, starts its journey, and the journey writes its transition row', async () => {
    const res = await sut.request('POST', '/v1/events', {
      role: 'ingest',
      body: { id: 'ord-1', type: 'order.completed', userId: 'u-1', properties: { amount: 25.5 } },
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      accepted: 1,
      duplicates: 0,
      results: [{ id: 'ord-1', status: 'accepted', journeys: ['journey:welcome:u-1'] }],
    });

    const transitions = new TransitionsRepository(sut.db.dataSource);
    const rows = await eventually(async () => {
      const found = await transitions.forUser('welcome', 'u-1');
      return found.length > 0 ? found : undefined;
    });
    expect(rows).toEqual([
      expect.objectContaining({ campaignKey: 'welcome', campaignVersion: 1, userId: 'u-1', fromState: null, toState: 'welcomed', cause: expect.stringContaining('ord-1'), workflowId: 'journey:welcome:u-1' }),
    ]);
    const stored = await sut.db.dataSource.query(`select id, type, user_id, properties from events`);
    expect(stored).toEqual([{ id: 'ord-1', type: 'order.completed', user_id: 'u-1', properties: { amount: 25.5 } }]);

    const snapshot = await sut.client.workflow.getHandle('journey:welcome:u-1').query(stateQuery);
    expect(snapshot).toMatchObject({ campaignKey: 'welcome', userId: 'u-1', status: 'ended', entries: 1, finished: [expect.objectContaining({ state: 'welcomed' })] });
  });

  it('answers a resent id as a duplicate and delivers it nowhere', async () => {
    const event = { id: 'ord-2', type: 'order.completed', userId: 'u-2' };
    const first = await sut.request('POST', '/v1/events', { role: 'ingest', body: event });
    expect(first.body.results[0]).toEqual({ id: 'ord-2', status: 'accepted', journeys: ['journey:welcome:u-2'] });
    const again = await sut.request('POST', '/v1/events', { role: 'ingest', body: event });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ accepted: 0, duplicates: 1, results: [{ id: 'ord-2', status: 'duplicate', journeys: [] }] });
  });

  it('takes a batch, counting an id repeated inside it once', async () => {
    const res = await sut.request('POST', '/v1/events', {
      role: 'ingest',
      body: {
        events: [
          { id: 'b-1', type: 'order.completed', userId: 'u-3' },
          { id: 'b-2', type: 'page.viewed', userId: 'u-3' },
          { id: 'b-1', type: 'order.completed', userId: 'u-3' },
        ],
      },
    });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(2);
    expect(res.body.duplicates).toBe(1);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted', 'duplicate']);
    // No active campaign uses page.viewed: stored, routed nowhere.
    expect(res.body.results[1].journeys).toEqual([]);
    const [{ n }] = await sut.db.dataSource.query(`select count(*)::int as n from events where id like 'b-%'`);
    expect(n).toBe(2);
  });

  it('reports readiness of PostgreSQL and Temporal without a key', async () => {
    const res = await sut.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ready: true, checks: { postgres: { ok: true }, temporal: { ok: true } } });
  });

  it('serves Prometheus text and the OpenAPI document', async () => {
    const metrics = await sut.request('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(metrics.body).toMatch(/kairos_events_received_total\{status="accepted"[^}]*\} \d+/);
    const docs = await sut.request('GET', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.body.openapi).toBe('3.1.0');
    expect(docs.body.paths['/v1/events'].post.requestBody.content['application/json'].schema).toBeDefined();
    expect(docs.body.paths['/v1/events'].post.operationId).toBe('ingestEvents');
  });

  it('serves an interactive API page at /docs/ui over /docs, with its scripts from the package (no CDN)', async () => {
    const page = await sut.request('GET', '/docs/ui');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const sources = [...String(page.body).matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources.length).toBeGreaterThan(0);
    for (const src of sources) {
      expect(src).toMatch(/^\/docs\/ui\//);
      const asset = await sut.request('GET', src);
      expect(asset.status).toBe(200);
      expect(String(asset.body).length).toBeGreaterThan(10);
    }
    const init = await sut.request('GET', '/docs/ui/init.js');
    expect(init.body).toContain("url: '/docs'");
    // A key given to Authorize is not kept in the origin's localStorage, which the console's Sign out cannot clear.
    expect(init.body).toContain('persistAuthorization: false');
  });
});
