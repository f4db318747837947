import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '../src/config/config';
import { createApp } from '../src/api/create-app';
import { composeKairos, type Kairos } from '../src/composition/compose-kairos';
import { CampaignsRepository } from '../src/store/repositories/campaigns.repository';
import { SignalOutboxRepository } from '../src/store/repositories/signal-outbox.repository';
import { JourneySender } from '../src/api/outbox/journey-sender';
import { DEFAULT_OUTBOX_OPTIONS } from '../src/api/outbox/outbox.options';
import { toJourneyEvent } from '../src/domain/event';
import { resolveTemporalCli } from '../src/provisioning/cli-binary';
import { startDevServer, type DevServer } from '../src/provisioning/dev-server';
import { freePort } from './support/free-port';
import { eventually } from './support/system-under-test';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** Entered on an order; then waits for `journey.close`, so `journey.close` events are signal-only deliveries. */
const waiting = {
  key: 'ordered',
  name: 'Ordered',
  entry: { on: 'order.completed' },
  initial: 'waiting',
  states: { waiting: { transitions: [{ to: 'done', on: 'journey.close' }] }, done: { end: true } },
};

/** The event ids a journey's history holds, in order, from lone `event` signals and batched `events` signals alike. */
async function signalledIds(client: Client, workflowId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const data = e.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0]?.data;
    if (!data) return [];
    const payload = JSON.parse(Buffer.from(data).toString()) as { id?: string; events?: Array<{ id: string }> };
    return payload.events ? payload.events.map((x) => x.id) : [payload.id!];
  });
}

/**
 * Deliveries to one journey keep their order through a Temporal outage, with
 * two API instances draining the outbox: the start event that was queued
 * first (and so retried most, with the longest backoff) is not overtaken by
 * the signal-only events queued after it, which would otherwise find no
 * journey and be closed as `not-running`. No worker runs: a delivery is a
 * signal in the journey's history, and the journey applies its inbox in that order.
 */
describe('deliveries to one journey keep their order', () => {
  let temporal: DevServer;
  let binary: string;
  let port: number;
  let dbFile: string;
  let db: TestDatabase;
  /** For the claim and lease cases: no relay runs over it, so only the test claims. */
  let scratch: TestDatabase;
  let kairos: Kairos;
  let client: Client;
  const apps: NestFastifyApplication[] = [];
  const urls: string[] = [];
  const key = 'ingest-key';

  const startTemporal = () => startDevServer({ binary, port, uiPort: 0, ui: false, namespace: 'default', dbFile });

  beforeAll(async () => {
    binary = await resolveTemporalCli({ cliPath: process.env.TEMPORAL_CLI, log: () => undefined });
    port = await freePort();
    dbFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'kairos-order-')), 'temporal.sqlite');
    temporal = await startTemporal();
    db = await createTestDatabase();
    scratch = await createTestDatabase();
    await new CampaignsRepository(db.dataSource).saveActive('ordered', waiting);
    const config = loadConfig({ TEMPORAL_ADDRESS: temporal.address, DATABASE_URL: db.url, API_KEYS: `${key}:ingest`, LOG_LEVEL: 'warn' });
    kairos = await composeKairos(config, { dataSource: db.dataSource, temporal: { address: temporal.address, namespace: 'default' } });
    client = kairos.client;
    for (let i = 0; i < 2; i++) {
      const app = await createApp(
        {
          config,
          kairos,
          runtime: { temporalAddress: temporal.address },
          // Small batches and claims, so the two instances take turns on the same journeys.
          outbox: { sendTimeoutMs: 1_000, firstRetryMs: 200, maxRetryMs: 3_000, relayIntervalMs: 100, relayBatch: 2, relayPerJourney: 3, callLimits: { maxEvents: 2, maxBytes: 64 * 1024 } },
        },
        { logger: false },
      );
      await app.listen(0, '127.0.0.1');
      apps.push(app);
      urls.push(await app.getUrl());
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await kairos?.close();
    await temporal?.stop();
    await db?.drop();
    await scratch?.drop();
  });

  const post = async (instance: number, body: unknown) => {
    const res = await fetch(`${urls[instance]}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
    expect(res.status).toBe(202);
  };

  it('a start queued during an outage is not overtaken by the signal events queued after it', async () => {
    await temporal.stop();
    // Both instances learn Temporal is away (their first send fails), so every row goes to the relays.
    await post(0, { id: 'start-a', type: 'order.completed', userId: 'a' });
    await post(1, { id: 'start-b', type: 'order.completed', userId: 'b' });
    // The start rows retry with growing backoff while Temporal is down.
    await eventually(async () => {
      const [{ attempts }] = await db.dataSource.query(`select min(attempts)::int as attempts from signal_outbox where event_id like 'start-%'`);
      return attempts >= 3 ? true : undefined;
    }, 30_000);
    // Then signal-only events for the same journeys, fresh and due at once, from both instances.
    for (let i = 1; i <= 6; i++) {
      await post(i % 2, { id: `close-a-${i}`, type: 'journey.close', userId: 'a' });
      await post((i + 1) % 2, { id: `close-b-${i}`, type: 'journey.close', userId: 'b' });
    }

    temporal = await startTemporal();
    await eventually(async () => {
      const [{ n }] = await db.dataSource.query(`select count(*)::int as n from signal_outbox where delivered_at is null`);
      return n === 0 ? true : undefined;
    }, 90_000);

    const outcomes = await db.dataSource.query(`select outcome, count(*)::int as n from signal_outbox group by outcome`);
    expect(outcomes).toEqual([{ outcome: 'delivered', n: 14 }]);
    for (const user of ['a', 'b']) {
      expect(await signalledIds(client, `journey:ordered:${user}`)).toEqual([`start-${user}`, ...[1, 2, 3, 4, 5, 6].map((i) => `close-${user}-${i}`)]);
    }
  });

  it('claims a journey whole behind its oldest undelivered row, and never the same journey twice at once', async () => {
    const repo = new SignalOutboxRepository(scratch.dataSource);
    const events = ['j-1', 'j-2', 'j-3', 'k-1'].map((id) => toJourneyEvent({ id, type: 'journey.close', userId: id[0], properties: {} }, new Date()));
    const planned = events.map((e) => ({ eventId: e.id, kind: 'signal' as const, campaignKey: 'ordered', campaignVersion: 1, workflowId: `journey:claims:${e.userId}` }));
    // j-1 is held by a sender (leased); j-2 and j-3 are due but queued behind it.
    const first = await repo.storeEvents(events.slice(0, 1), planned.slice(0, 1), 60_000);
    expect(first.toSend.map((d) => d.eventId)).toEqual(['j-1']);
    const rest = await repo.storeEvents(events.slice(1), planned.slice(1), 60_000);
    // Behind a held row: not the caller's to send (only k-1, alone in its journey, is).
    expect(rest.toSend.map((d) => d.eventId)).toEqual(['k-1']);
    await scratch.dataSource.query(`update signal_outbox set next_attempt_at = now() where event_id in ('j-2', 'j-3', 'k-1')`);

    const claims = await Promise.all([repo.claimDue(10, 60_000), repo.claimDue(10, 60_000), repo.claimDue(10, 60_000)]);
    const claimed = claims.flat().map((d) => d.eventId);
    expect(claimed).toEqual(['k-1']);

    // Once j-1 is out of the way, j-2 and j-3 come together, in order, to one claimer.
    await scratch.dataSource.query(`update signal_outbox set delivered_at = now(), outcome = 'delivered' where event_id = 'j-1'`);
    const next = await Promise.all([repo.claimDue(10, 60_000), repo.claimDue(10, 60_000)]);
    expect(next.map((c) => c.map((d) => d.eventId)).sort((x, y) => y.length - x.length)).toEqual([['j-2', 'j-3'], []]);
  });

  it('starts no send that could outlive the lease: the rows go back to the relay untried', async () => {
    const repo = new SignalOutboxRepository(scratch.dataSource);
    const events = Array.from({ length: 5 }, (_, i) => toJourneyEvent({ id: `lease-${i}`, type: 'journey.close', userId: 'lease', properties: {} }, new Date()));
    const { toSend } = await repo.storeEvents(
      events,
      events.map((e) => ({ eventId: e.id, kind: 'signal' as const, campaignKey: 'ordered', campaignVersion: 1, workflowId: 'journey:ordered:lease' })),
      60_000,
    );
    expect(toSend).toHaveLength(5);
    // Less left of the lease than one send may take (sendTimeoutMs is 1 s here).
    const { rewards, rewardCauses } = kairos.repositories;
    const sender = new JourneySender(kairos.journeys, { ...DEFAULT_OUTBOX_OPTIONS, sendTimeoutMs: 1_000 }, repo, rewards, rewardCauses);
    const outcomes = await sender.send(toSend, Date.now() + 500);
    expect([...outcomes.values()].every((o) => 'deferred' in o)).toBe(true);
    const rows = await scratch.dataSource.query(`select attempts, delivered_at, next_attempt_at <= now() as due from signal_outbox where event_id like 'lease-%'`);
    expect(rows).toEqual(Array(5).fill({ attempts: 0, delivered_at: null, due: true }));
  });
});
