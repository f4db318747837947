import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Client, type ClientConfig } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { Backoff } from '../../retry/backoff';
import { DATA_SOURCE } from '../core/tokens';

export const CAMPAIGNS_CHANNEL = 'kairos_campaigns';
export const SOURCES_CHANNEL = 'kairos_sources';
export const LISTENER_APPLICATION_NAME = 'kairos-change-listener';

/** Told the key that changed, or null when changes may have been missed (connected or reconnected): reload everything. */
export type ChangeHandler = (key: string | null) => void;

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 30_000;
/** A connection can die without a word (a silent network drop); a ping finds out. */
export const PING_EVERY_MS = 15_000;
/**
 * A ping not answered within this means the connection is gone. pg's query has no timeout of its own:
 * on a flow dropped without a FIN or RST it waits for the kernel to give up retransmitting (about
 * 15 minutes on Linux), and changes would reach this instance only through the minute's reconcile meanwhile.
 */
export const PING_TIMEOUT_MS = 5_000;
/**
 * Pings a connection answers in a row before its reconnection counts as a
 * success and the backoff starts over (a minute's worth). Reset when merely
 * connected, a database too slow to answer a ping in time would be dropped,
 * reconnected after the backoff's first step and reloaded by every
 * subscriber every PING_EVERY_MS + PING_TIMEOUT_MS, for as long as it stays slow.
 */
export const STEADY_AFTER_PINGS = 4;
/** Idle time before TCP keepalive probes start (pg's default 0 keeps the OS's, 2 hours on Linux). */
const KEEPALIVE_DELAY_MS = 10_000;

/**
 * Keeps this API instance's in-memory configuration (the campaign index, the
 * event sources) current: one dedicated PostgreSQL connection (outside the
 * pool, since LISTEN belongs to a session) LISTENs on every subscribed
 * channel, which table triggers notify in the transaction of every change.
 * If the connection drops it reconnects with backoff and tells every
 * subscriber to reload, since notifications sent meanwhile are lost.
 */
@Injectable()
export class ChangeListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ChangeListener');
  private readonly handlers = new Map<string, ChangeHandler[]>();
  /** The client of the latest connection attempt; events from older ones are ignored. */
  private client: Client | null = null;
  private connected = false;
  private readonly backoff = new Backoff(FIRST_RETRY_MS, MAX_RETRY_MS);
  private retryTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  /** Pings the current connection has answered in a row (STEADY_AFTER_PINGS). */
  private answeredPings = 0;
  private stopped = false;
  /** Connections made so far (tests and logs use it to see reconnections). */
  connections = 0;

  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /** Calls `onChange` with the key of every change on `channel` (a fixed identifier), and with null after each (re)connection. */
  subscribe(channel: string, onChange: ChangeHandler): void {
    const known = this.handlers.has(channel);
    this.handlers.set(channel, [...(this.handlers.get(channel) ?? []), onChange]);
    const client = this.client;
    if (!known && client && this.connected) client.query(`listen ${channel}`).catch((err: Error) => this.lost(client, err));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  /**
   * Stopped first, when the app starts closing (modules are destroyed before
   * the HTTP server closes and the shutdown hooks run): a shutdown hook that
   * is slow or fails (a broker's consumer) must not leave it reconnecting.
   */
  async onModuleDestroy(): Promise<void> {
    await this.onApplicationShutdown();
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
    client.on('notification', (msg) => this.tell(msg.channel, msg.payload ?? null));
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`listen ${channel}`);
    } catch (err) {
      this.lost(client, err as Error);
      return;
    }
    // Stopped or dropped while connecting: shutdown or lost() already dealt with this client.
    if (this.stopped || this.client !== client) return;
    this.connected = true;
    this.connections += 1;
    this.answeredPings = 0;
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this.ping(client), PING_EVERY_MS);
    this.pingTimer.unref();
    // Changes made while this instance was not listening (before boot's LISTEN, or while disconnected) are caught up here.
    for (const channel of this.handlers.keys()) this.tell(channel, null);
  }

  /**
   * One `select 1`: an error, or no answer within PING_TIMEOUT_MS, is a lost connection (reconnect, and tell every
   * subscriber to reload). The timeout decides one turn of the event loop later: after a stall of the loop (a long GC
   * pause, a large synchronous compile) the timers run before the sockets are read, so an answer that came in during the
   * stall would still be unread, and a healthy connection would be dropped and everything reloaded.
   */
  private ping(client: Client): void {
    let settled = false;
    const timer = setTimeout(() => {
      const late = setTimeout(() => {
        if (!settled) this.lost(client, new Error(`no answer to a ping within ${PING_TIMEOUT_MS / 1000} s`));
      }, 0);
      late.unref();
    }, PING_TIMEOUT_MS);
    timer.unref();
    client.query('select 1').then(
      () => {
        settled = true;
        clearTimeout(timer);
        this.answered(client);
      },
      (err: Error) => {
        settled = true;
        clearTimeout(timer);
        this.lost(client, err);
      },
    );
  }

  /** A ping answered: once the connection has answered STEADY_AFTER_PINGS in a row, the next loss starts the backoff over. */
  private answered(client: Client): void {
    if (client !== this.client) return;
    this.answeredPings += 1;
    if (this.answeredPings === STEADY_AFTER_PINGS) this.backoff.reset();
  }

  private lost(client: Client, err: Error): void {
    if (this.stopped || client !== this.client) return;
    this.client = null;
    this.connected = false;
    clearInterval(this.pingTimer);
    void client.end().catch(() => undefined);
    if (this.retryTimer) return;
    const retryMs = this.backoff.next();
    this.logger.warn(`Change notifications interrupted (${err.message}); reconnecting in ${retryMs} ms`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, retryMs);
    this.retryTimer.unref();
  }

  private tell(channel: string, key: string | null): void {
    for (const handler of this.handlers.get(channel) ?? []) {
      try {
        handler(key);
      } catch (err) {
        this.logger.error(`A ${channel} subscriber failed: ${(err as Error).message}`);
      }
    }
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
      keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
      connectionTimeoutMillis: 5000,
    };
  }
}
