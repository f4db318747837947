import { CampaignsRepository } from '../src/store/repositories/campaigns.repository';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

const campaign = (key: string, on: string) => ({ key, name: key, entry: { on }, initial: 'done', states: { done: { end: true } } });

/** A gauge or counter sample from Prometheus text (the first line of `name` that carries `labels`). */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && l.includes(labels));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/**
 * Routing survives what notifications cannot carry: a change made without a
 * notification is caught by the periodic reconcile, and a reload that fails
 * while PostgreSQL is away is retried with backoff and counted.
 */
describe('routing index: reconcile and retried reloads', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest({ proxyDatabase: true, routing: { reconcileMs: 500, firstRetryMs: 100, maxRetryMs: 1000 } });
  });
  afterAll(async () => sut?.stop());

  const journeysOf = async (id: string, type: string) => {
    const res = await sut.request('POST', '/v1/events', { role: 'ingest', body: { id, type, userId: 'u-route' } });
    return (res.body as { results: Array<{ journeys: string[] }> }).results[0].journeys;
  };

  it('a campaign activated without a notification is routed once the reconcile runs', async () => {
    // Every trigger's failures are shown from the start, at 0: the first failure is an increase Prometheus sees.
    const before = (await sut.request('GET', '/metrics')).body as string;
    expect(['change', 'reconcile', 'retry'].map((t) => sample(before, 'kairos_routing_reload_failures_total', `trigger="${t}"`))).toEqual([0, 0, 0]);
    const ds = sut.db.dataSource;
    await ds.query(`alter table campaigns disable trigger campaigns_notify`);
    try {
      await new CampaignsRepository(ds).saveActive('silent', campaign('silent', 'silent.happened'));
    } finally {
      await ds.query(`alter table campaigns enable trigger campaigns_notify`);
    }
    let n = 0;
    const journeys = await eventually(async () => {
      const j = await journeysOf(`silent-${++n}`, 'silent.happened');
      return j.length > 0 ? j : undefined;
    }, 20_000);
    expect(journeys).toEqual(['journey:silent:u-route']);
  });

  it('reloads that fail while PostgreSQL is away are counted and retried until the index is current', async () => {
    const proxy = sut.databaseProxy!;
    await proxy.stop();
    try {
      // Saved straight to the database while this instance cannot read it.
      await new CampaignsRepository(sut.db.dataSource).saveActive('while-away', campaign('while-away', 'away.happened'));
      await new Promise((r) => setTimeout(r, 2000));
    } finally {
      await proxy.start();
    }
    let n = 0;
    const journeys = await eventually(async () => {
      const j = await journeysOf(`away-${++n}`, 'away.happened').catch(() => []);
      return j.length > 0 ? j : undefined;
    }, 30_000);
    expect(journeys).toEqual(['journey:while-away:u-route']);
    const metrics = (await sut.request('GET', '/metrics')).body as string;
    expect(sample(metrics, 'kairos_routing_reload_failures_total', 'trigger="reconcile"')).toBeGreaterThanOrEqual(1);
  });
});
