import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/api/create-app';
import type { OutboxOptions } from '../../src/api/outbox/outbox.options';
import { composeKairos, type Kairos } from '../../src/composition/compose-kairos';
import { loadConfig } from '../../src/config/config';
import { resolveTemporalCli } from '../../src/provisioning/cli-binary';
import { startDevServer, type DevServer } from '../../src/provisioning/dev-server';
import type { JsonObject } from '../../src/store/json';
import { CampaignsRepository } from '../../src/store/repositories/campaigns.repository';
import { freePort } from './free-port';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface OwnTemporalOptions {
  /** Active campaigns saved before the API starts. */
  campaigns: Array<JsonObject & { key: string }>;
  /** How many API instances share the database and the Temporal client (default 1). */
  instances?: number;
  /** Outbox timings for every instance (shortened, so outages are quick to see through). */
  outbox: Partial<OutboxOptions>;
  /** Prefix of the temporary folder that holds Temporal's file database. */
  tmpPrefix: string;
}

/**
 * A Kairos API (one or more instances, no worker) on its own Temporal dev
 * server, for suites that stop Temporal and start it again. Temporal keeps
 * its state in a file, so workflows started before an outage survive it, as
 * with a real cluster; it comes back on the same port. No worker is needed
 * where a delivery is a signal recorded in the workflow's history.
 */
export interface OwnTemporalSystem {
  db: TestDatabase;
  kairos: Kairos;
  client: Client;
  /** Where the dev server listens (the same port after a restart). */
  address: string;
  apps: NestFastifyApplication[];
  urls: string[];
  /** The ingest key every instance accepts. */
  ingestKey: string;
  /** A support key (cancels) every instance accepts. */
  supportKey: string;
  stopTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
  close(): Promise<void>;
}

export async function startOwnTemporalSystem(opts: OwnTemporalOptions): Promise<OwnTemporalSystem> {
  const ingestKey = 'ingest-key';
  const supportKey = 'support-key';
  const binary = await resolveTemporalCli({ cliPath: process.env.TEMPORAL_CLI, log: () => undefined });
  const port = await freePort();
  const dbFile = path.join(mkdtempSync(path.join(os.tmpdir(), opts.tmpPrefix)), 'temporal.sqlite');
  const start = () => startDevServer({ binary, port, uiPort: 0, ui: false, namespace: 'default', dbFile });
  let temporal: DevServer | undefined = await start();
  const address = temporal.address;
  let db: TestDatabase | undefined;
  let kairos: Kairos | undefined;
  const apps: NestFastifyApplication[] = [];
  const urls: string[] = [];
  try {
    db = await createTestDatabase();
    const campaigns = new CampaignsRepository(db.dataSource);
    for (const c of opts.campaigns) await campaigns.saveActive(c.key, c);
    const config = loadConfig({ TEMPORAL_ADDRESS: address, DATABASE_URL: db.url, API_KEYS: `${ingestKey}:ingest,${supportKey}:support`, LOG_LEVEL: 'warn' });
    kairos = await composeKairos(config, { dataSource: db.dataSource, temporal: { address, namespace: 'default' } });
    for (let i = 0; i < (opts.instances ?? 1); i++) {
      const app = await createApp({ config, kairos, runtime: { temporalAddress: address }, outbox: opts.outbox }, { logger: false });
      apps.push(app);
      await app.listen(0, '127.0.0.1');
      urls.push(await app.getUrl());
    }
  } catch (err) {
    // Half started: leave no server, process or database behind.
    for (const app of apps) await app.close();
    await kairos?.close();
    await temporal.stop();
    await db?.drop();
    throw err;
  }
  const started = { db, kairos };
  return {
    db: started.db,
    kairos: started.kairos,
    client: started.kairos.client,
    address,
    apps,
    urls,
    ingestKey,
    supportKey,
    async stopTemporal() {
      await temporal?.stop();
      temporal = undefined;
    },
    async startTemporal() {
      temporal = await start();
    },
    async close() {
      for (const app of apps) await app.close();
      await started.kairos.close();
      await temporal?.stop();
      await started.db.drop();
    },
  };
}

/** The event ids a journey's history holds, in order, from lone `event` signals and batched `events` signals alike. */
export async function signalledIds(client: Client, workflowId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const data = e.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0]?.data;
    if (!data) return [];
    const payload = JSON.parse(Buffer.from(data).toString()) as { id?: string; events?: Array<{ id: string }> };
    return payload.events ? payload.events.map((x) => x.id) : [payload.id!];
  });
}

/** A campaign every order enters and ends at once: a delivery to it is a journey start. */
export const welcomeCampaign = { key: 'welcome', name: 'Welcome', entry: { on: 'order.completed' }, initial: 'welcomed', states: { welcomed: { end: true } } };

/** An unlabelled metric's value as an API instance's /metrics shows it (its registry adds default labels); undefined when absent. */
export async function metricValue(baseUrl: string, name: string): Promise<number | undefined> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}
