import { Logger } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createActivities, type Activities, type ActivityDeps } from '../activities';
import type { Config, TemporalConnectionSettings } from '../config/config';
import { openDataSource } from '../store/data-source';
import { PlanStore } from '../store/plan-store';
import { createRepositories, type Repositories } from '../store/repositories';
import { lazyClientConnection } from '../temporal/client-connection';
import { JourneyGateway } from '../temporal/journey-gateway';
import { createKairosWorker, type KairosWorkerOptions } from '../temporal/worker';
import { closeAll } from './close-all';

/** Where Temporal is: a given cluster (config) or the dev server provisioning started. */
export interface TemporalTarget {
  address: string;
  namespace: string;
  /** TLS, API key and headers for a given cluster; none towards the own dev server. */
  connection?: TemporalConnectionSettings;
}

export interface ComposeOptions {
  /**
   * An open data source (tests bring their own database); its owner closes it.
   * By default one is opened on `databaseUrl` (else DATABASE_URL), migrated,
   * and closed by close().
   */
  dataSource?: DataSource;
  databaseUrl?: string;
  /** By default config.temporal, which must then have an address. */
  temporal?: TemporalTarget;
  /** What the activities take besides the composed parts; by default from config. */
  activities?: Omit<ActivityDeps, 'dataSource' | 'plans' | 'journeys'>;
  /** False while Kairos's search attributes are not known to be registered: no journey starts (SearchAttributesGate). */
  startsAllowed?: () => boolean;
}

/** The parts every process (and every test harness) is made of, built once and in one way. */
export interface Kairos {
  config: Config;
  temporal: TemporalTarget;
  dataSource: DataSource;
  repositories: Repositories;
  /** The one cache of compiled plans: the API, batch entry and the journeys' starts read through it. */
  plans: PlanStore;
  client: Client;
  /** Every call into journeys. */
  journeys: JourneyGateway;
  activities: Activities;
  /** A worker on the task queue with the composed activities; its connection is closed by close(). */
  createWorker(opts?: Pick<KairosWorkerOptions, 'workflowBundlePath' | 'maxCachedJourneys'>): Promise<Worker>;
  /** Closes what composing opened (after the worker and the app have stopped). */
  close(): Promise<void>;
}

/**
 * The composition root: data source, repositories, the plan store, the
 * Temporal connection, the journey gateway and the activities. `npm start`,
 * `npm run api|worker`, the test harnesses and the benches all build their
 * parts here; what differs between them is only what they start with it.
 */
export async function composeKairos(config: Config, opts: ComposeOptions = {}): Promise<Kairos> {
  const closers: Array<() => Promise<unknown>> = [];
  // Each closer runs once, and all of them run even if one throws (closeAll).
  const close = () => closeAll(closers.splice(0));
  try {
    const temporal = opts.temporal ?? configuredTemporal(config);
    let dataSource = opts.dataSource;
    if (!dataSource) {
      const url = opts.databaseUrl ?? config.databaseUrl;
      if (!url) throw new Error('composeKairos needs a data source or a database URL.');
      const opened = await openDataSource({
        url,
        statementTimeoutMs: config.statementTimeoutMs,
        migrate: { onLockTimeout: (attempt, of) => new Logger('Migrations').warn(`A migration waited too long for a table's lock and gave way to the queries behind it; trying again (attempt ${attempt} of ${of})`) },
      });
      closers.push(() => opened.destroy());
      dataSource = opened;
    }
    const repositories = createRepositories(dataSource);
    const plans = new PlanStore(repositories.journeyContext);

    // One client for the API and for the worker's activities (batch entry starts journeys). Lazy: an API
    // may boot while Temporal is away (its calls fail as in any outage, and the outbox keeps the events).
    const connection = lazyClientConnection(temporal.address, temporal.connection);
    closers.push(() => connection.close());
    const client = new Client({ connection, namespace: temporal.namespace });
    const journeys = new JourneyGateway(client, config.temporal.taskQueue, (key, version) => plans.cachedName(key, version), opts.startsAllowed);

    const activities = createActivities({
      messageWebhooks: config.messageWebhooks,
      webhookSecret: config.webhookSecret,
      webhookAllowedHosts: config.webhookAllowedHosts,
      ...opts.activities,
      dataSource,
      plans,
      journeys,
    });

    return {
      config,
      temporal,
      dataSource,
      repositories,
      plans,
      client,
      journeys,
      activities,
      async createWorker(workerOpts = {}) {
        const native = await NativeConnection.connect({ address: temporal.address, ...temporal.connection });
        closers.push(() => native.close());
        return createKairosWorker({
          connection: native,
          namespace: temporal.namespace,
          taskQueue: config.temporal.taskQueue,
          activities,
          maxCachedJourneys: config.workerMaxCachedJourneys,
          ...workerOpts,
        });
      },
      close,
    };
  } catch (err) {
    // The failure to compose is what the caller needs to see, not a failure to tidy up after it.
    await close().catch(() => undefined);
    throw err;
  }
}

function configuredTemporal(config: Config): TemporalTarget {
  const { address, namespace, connection } = config.temporal;
  if (!address) throw new Error('composeKairos needs a Temporal address (TEMPORAL_ADDRESS) or a provisioned one.');
  return { address, namespace, connection };
}
