import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Client, type ClientConfig } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { DATA_SOURCE } from '../core/tokens';
import { CampaignIndex } from './campaign-index';

export const CAMPAIGNS_CHANNEL = 'kairos_campaigns';
export const LISTENER_APPLICATION_NAME = 'kairos-campaign-listener';

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 30_000;
/** A connection can die without a word (a silent network drop); a ping finds out. */
const PING_EVERY_MS = 15_000;

/**
 * Keeps this API instance's CampaignIndex current: one dedicated PostgreSQL
 * connection (outside the pool, since LISTEN belongs to a session) LISTENs
 * on `kairos_campaigns`, which the campaigns trigger notifies in the
 * transaction of every change. If the connection drops it reconnects with
 * backoff and reloads the index, since notifications sent meanwhile are lost.
 */
@Injectable()
export class CampaignChangeListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CampaignChangeListener');
  /** The client of the latest connection attempt; events from older ones are ignored. */
  private client: Client | null = null;
  private connected = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Connections made so far (tests and logs use it to see reconnections). */
  connections = 0;

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly index: CampaignIndex,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** True while the LISTEN connection is up. */
  get listening(): boolean {
    return this.connected;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client(this.clientConfig());
    this.client = client;
    // Attached before connecting: an error event with no listener would crash the process.
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    client.on('notification', (msg) => {
      if (msg.channel === CAMPAIGNS_CHANNEL) this.reload(`campaign ${msg.payload ?? '?'} changed`);
    });
    try {
      await client.connect();
      await client.query(`listen ${CAMPAIGNS_CHANNEL}`);
    } catch (err) {
      this.lost(client, err as Error);
      return;
    }
    // Stopped or dropped while connecting: shutdown or lost() already dealt with this client.
    if (this.stopped || this.client !== client) return;
    this.connected = true;
    this.connections += 1;
    this.retryMs = FIRST_RETRY_MS;
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      client.query('select 1').catch((err: Error) => this.lost(client, err));
    }, PING_EVERY_MS);
    this.pingTimer.unref();
    // Changes made while this instance was not listening (before boot's LISTEN, or while disconnected) are caught up here.
    this.reload('listening');
  }

  private lost(client: Client, err: Error): void {
    if (this.stopped || client !== this.client) return;
    this.client = null;
    this.connected = false;
    clearInterval(this.pingTimer);
    void client.end().catch(() => undefined);
    if (this.retryTimer) return;
    this.logger.warn(`Campaign change notifications interrupted (${err.message}); reconnecting in ${this.retryMs} ms`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }

  private reload(why: string): void {
    this.index.reload().catch((err: Error) => this.logger.error(`Could not reload the campaign index (${why}): ${err.message}`));
  }

  private clientConfig(): ClientConfig {
    const o = this.ds.options as PostgresConnectionOptions;
    return {
      connectionString: o.url,
      host: o.host,
      port: o.port,
      user: o.username,
      password: typeof o.password === 'string' ? o.password : undefined,
      database: o.database,
      // TypeORM and pg type TLS options differently; the values are the same node TLS options.
      ssl: o.ssl as ClientConfig['ssl'],
      application_name: LISTENER_APPLICATION_NAME,
      keepAlive: true,
      connectionTimeoutMillis: 5000,
    };
  }
}
