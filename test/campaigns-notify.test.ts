import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DataSource } from 'typeorm';
import { createApp } from '../src/api/create-app';
import { composeKairos, type Kairos } from '../src/composition/compose-kairos';
import { ChangeListener, LISTENER_APPLICATION_NAME } from '../src/api/routing/change-listener';
import { openDataSource } from '../src/store/data-source';
import { spendAndPost } from './support/campaign-fixtures';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/**
 * Two API instances on one database: a campaign change made through one
 * takes effect on the other without a restart (LISTEN/NOTIFY), also after
 * the other's LISTEN connection was cut.
 */
describe('campaign changes reach every API instance', () => {
  let sut: SystemUnderTest;
  let second: NestFastifyApplication;
  let secondUrl: string;
  let secondDs: DataSource;
  let parts: Kairos;

  beforeAll(async () => {
    sut = await startSystemUnderTest();
    // The second instance has its own pool and Temporal client, as another process would.
    secondDs = await openDataSource({ url: sut.db.url });
    parts = await composeKairos(sut.config, { dataSource: secondDs });
    second = await createApp(
      { config: sut.config, kairos: parts, runtime: { temporalAddress: parts.temporal.address } },
      { logger: false },
    );
    await second.listen(0, '127.0.0.1');
    secondUrl = await second.getUrl();
  });
  afterAll(async () => {
    await second?.close();
    await parts?.close();
    await secondDs?.destroy();
    await sut?.stop();
  });

  let n = 0;
  /** Sends an entry event to the second instance; returns the journeys it was routed to. */
  const routedBySecond = async (type = 'order.completed'): Promise<string[]> => {
    n += 1;
    const res = await fetch(`${secondUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sut.keys.ingest}` },
      body: JSON.stringify({ id: `second-${n}`, type, userId: `user-${n}`, properties: { amount: 5 } }),
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { results: Array<{ journeys: string[] }> }).results[0].journeys;
  };
  const op = (path: string, body?: unknown, method = 'POST') => sut.request(method, path, { role: 'operator', body });
  const listenerBackends = async () =>
    (await sut.db.dataSource.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = $1`, [LISTENER_APPLICATION_NAME]))[0].n as number;

  it('activation through the first instance starts journeys through the second', async () => {
    const campaign = spendAndPost('notified');
    campaign.states.rewarded.actions.steps.shift(); // no pool needed
    expect((await op('/v1/campaigns', campaign)).status).toBe(201);
    expect(await routedBySecond()).toEqual([]);
    expect((await op('/v1/campaigns/notified/activate')).status).toBe(200);
    const journeys = await eventually(async () => {
      const j = await routedBySecond();
      return j.length > 0 ? j : undefined;
    }, 10_000);
    expect(journeys[0]).toMatch(/^journey:notified:user-\d+$/);
  });

  it('a new active version with another entry type takes over on the second instance', async () => {
    const v2 = spendAndPost('notified');
    v2.states.rewarded.actions.steps.shift();
    v2.entry = { on: 'signup.completed' };
    expect((await op('/v1/campaigns/notified', v2, 'PUT')).body).toEqual({ key: 'notified', version: 2 });
    expect((await op('/v1/campaigns/notified/activate', { version: 2 })).status).toBe(200);
    await eventually(async () => ((await routedBySecond('signup.completed')).length > 0 ? true : undefined), 10_000);
    // order.completed now only reaches running journeys (as a signal): a new user gets none.
    expect(await routedBySecond('order.completed')).toEqual([]);
  });

  it('reconnects when its LISTEN connection is cut, and hears changes made meanwhile', async () => {
    const listener = second.get(ChangeListener);
    const before = listener.connections;
    expect(await listenerBackends()).toBe(2);
    // Cut both instances' listeners; pause at once, before they are back (the first retry waits 250 ms), so the notification is lost to them.
    const killed = await sut.db.dataSource.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = $1`,
      [LISTENER_APPLICATION_NAME],
    );
    expect(killed).toHaveLength(2);
    expect((await op('/v1/campaigns/notified/pause')).status).toBe(200);
    await eventually(async () => (listener.connections > before && listener.listening ? true : undefined), 10_000);
    await eventually(async () => ((await listenerBackends()) === 2 ? true : undefined), 10_000);
    // Back on LISTEN, the instance reloads its index (the pause's notification is lost), and the
    // reload ends a moment after `listening` turns true. Only that reload can bring the pause within
    // this file: the periodic reconcile first runs a minute after the instance booted.
    await eventually(async () => ((await routedBySecond('signup.completed')).length === 0 ? true : undefined), 10_000);
    // And it keeps hearing later changes.
    expect((await op('/v1/campaigns/notified/activate')).status).toBe(200);
    await eventually(async () => ((await routedBySecond('signup.completed')).length > 0 ? true : undefined), 10_000);
  });
});
