import { Backoff } from '../retry/backoff';
import { zodIssuesToDomain } from '../domain/zod-issues';
import { SourceDefinition, type StoredSource } from './source-definition';
import type { SourceConsumer } from './source-consumer';
import type { SourceMetrics } from './source-metrics';

export interface StoredSourceRow {
  key: string;
  version: number;
  /**
   * When the row was created: with the version, which source this is. A
   * source deleted and created again under its key starts at version 1
   * again, so the version alone would take the new one for the old.
   */
  createdAt: string;
  definition: unknown;
}

/** Which stored source a consumer runs: its row (createdAt) and its version of it. */
interface Identity {
  version: number;
  createdAt: string;
}

/** A stored version that no longer parses: why, and whether it asks to be consumed (anything but `enabled: false`). */
interface Invalid extends Identity {
  reason: string;
  enabled: boolean;
}

const sameSource = (a: Identity | undefined, b: Identity | undefined): boolean => a !== undefined && b !== undefined && a.version === b.version && a.createdAt === b.createdAt;

export interface SupervisorDeps {
  load(): Promise<StoredSourceRow[]>;
  createConsumer(source: StoredSource): SourceConsumer;
  metrics: SourceMetrics;
  log: { warn(message: string): void; error(message: string): void };
  /** First delay before a failed reload is tried again; doubled per failure up to `maxRetryMs`. */
  firstRetryMs?: number;
  maxRetryMs?: number;
}

export type SourceState = 'consuming' | 'connecting' | 'disabled' | 'invalid';

/** What asks for a reload: a change notice (or the listener's (re)connection), a write on this instance, the periodic reconcile, or the backoff after a failure. */
export type ReloadTrigger = 'change' | 'write' | 'reconcile' | 'retry';

/**
 * Runs one consumer per enabled source, as stored: on every reload it starts
 * new sources, restarts changed ones (their version moved, or the source was
 * deleted and created again under its key) and stops removed or disabled
 * ones. Reloads run one after another, so a burst of changes
 * ends in the latest state. A reload that fails (PostgreSQL away or
 * overloaded) is tried again with backoff until one succeeds: until then the
 * consumers it would have stopped or restarted run on, and consumerOf says so.
 */
export class SourceSupervisor {
  private readonly running = new Map<string, Identity & { consumer: SourceConsumer }>();
  /** The sources whose stored version no longer parses, by key: that version, and why. */
  private readonly invalid = new Map<string, Invalid>();
  /** The sources whose series this instance shows: started here, and not forgotten since. */
  private readonly shown = new Set<string>();
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly backoff: Backoff;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Why the latest reload failed; null once one succeeded. */
  private reloadError: string | null = null;

  constructor(private readonly deps: SupervisorDeps) {
    this.backoff = new Backoff(deps.firstRetryMs ?? 250, deps.maxRetryMs ?? 30_000);
    deps.metrics.watch(
      () => this.states(),
      () => this.reloadError !== null,
    );
  }

  /**
   * Brings the consumers in line with the stored sources; resolves when this
   * reload (and those before it) ran, rejects when it failed. A failure is
   * logged and tried again with backoff until a reload succeeds.
   */
  reload(trigger: ReloadTrigger = 'change'): Promise<void> {
    const next = this.chain.then(() => this.sync());
    this.chain = next.then(
      () => this.succeeded(),
      (err: Error) => this.failed(trigger, err),
    );
    return next;
  }

  /**
   * What this instance does with a stored source: `consuming`, or
   * `connecting` with why the last attempt failed; an enabled source it does
   * not run (not loaded yet, or its reload failed) is `connecting` too, saying
   * so, never `disabled`, which is for `enabled: false`; so is a version newer
   * than the one this instance still runs, whatever that one does, and a
   * source created again while this instance still runs the one deleted.
   * While consuming, lastError is whatever trouble the consumer still says
   * (a connection the broker blocks, messages that keep coming back). A
   * stored version that no longer parses (a schema change, a rollback) is
   * `invalid`, with the problems and their paths in lastError.
   */
  consumerOf(row: StoredSourceRow): { state: SourceState; lastError: string | null } {
    const invalid = this.invalid.get(row.key);
    if (invalid && sameSource(invalid, row)) return { state: 'invalid', lastError: invalid.reason };
    const entry = this.running.get(row.key);
    // The source deleted since, still running (its reload failed, or has not come yet), is not this one, whatever it does.
    if (entry && entry.createdAt !== row.createdAt) return { state: 'connecting', lastError: `this instance still runs v${entry.version} of the source ${row.key} deleted since: ${this.pending()}` };
    // So is an older version.
    if (entry && entry.version < row.version) return { state: 'connecting', lastError: `this instance still runs v${entry.version}: ${this.pending()}` };
    if (entry) return { state: entry.consumer.connected ? 'consuming' : 'connecting', lastError: entry.consumer.lastError };
    if ((row.definition as { enabled?: unknown } | null)?.enabled === false) return { state: 'disabled', lastError: null };
    return { state: 'connecting', lastError: `not started on this instance yet: ${this.pending()}` };
  }

  /**
   * What this instance does with a source that was just removed: `removed`
   * once its consumer stopped; while it still runs (the reload failed), that
   * consumer's state, and why in lastError.
   */
  consumerOfRemoved(key: string): { state: SourceState | 'removed'; lastError: string | null } {
    const entry = this.running.get(key);
    if (!entry) return { state: 'removed', lastError: null };
    return { state: entry.consumer.connected ? 'consuming' : 'connecting', lastError: `removed, but this instance still runs v${entry.version}: ${this.pending()}` };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.chain;
    await Promise.all([...this.running.keys()].map((key) => this.stopOne(key, false)));
  }

  /**
   * What kairos_source_up shows: each source this instance runs, consuming
   * or not, and each enabled one it cannot run because its stored version no
   * longer parses (as 0: every instance refuses it alike, so without it no
   * series would say the source is not consumed, and no alert could fire).
   */
  private states(): Array<{ source: string; consuming: boolean }> {
    const states = [...this.running].map(([source, { consumer }]) => ({ source, consuming: consumer.connected }));
    for (const [source, { enabled }] of this.invalid) if (enabled && !this.running.has(source)) states.push({ source, consuming: false });
    return states;
  }

  /** Why this instance does not run the stored version yet. */
  private pending(): string {
    return this.reloadError === null
      ? 'the next reload of the sources applies the change (every change to a source brings one, and so does the periodic reconcile)'
      : `reloading the sources failed (${this.reloadError}); it is tried again until it succeeds`;
  }

  private succeeded(): void {
    this.reloadError = null;
    this.backoff.reset();
    // This reload read the sources after the failed one did: nothing is left to retry.
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private failed(trigger: ReloadTrigger, err: Error): void {
    this.reloadError = err.message;
    if (this.stopped) return;
    this.deps.metrics.reloadFailures.inc({ trigger });
    if (this.retryTimer) {
      this.deps.log.error(`Could not reload the event sources (${trigger}): ${err.message}; a retry is already due`);
      return;
    }
    const retryMs = this.backoff.next();
    this.deps.log.error(`Could not reload the event sources (${trigger}): ${err.message}; trying again in ${retryMs} ms`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      // Its failure is handled (logged, retried) in the chain.
      this.reload('retry').catch(() => undefined);
    }, retryMs);
    this.retryTimer.unref();
  }

  private async sync(): Promise<void> {
    if (this.stopped) return;
    const wanted = new Map<string, StoredSource & Identity>();
    const rows = await this.deps.load();
    this.invalid.clear();
    for (const row of rows) {
      const parsed = SourceDefinition.safeParse(row.definition);
      // Definitions were validated when stored; one that no longer parses (a schema change) must not stop the others.
      if (!parsed.success) {
        const reason = `the stored definition (v${row.version}) is not valid under this version of Kairos, so no instance running it consumes the source; replace it (PUT) with one that is: ${zodIssuesToDomain(parsed.error.issues)
          .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
          .join('; ')}`;
        this.invalid.set(row.key, { version: row.version, createdAt: row.createdAt, reason, enabled: (row.definition as { enabled?: unknown } | null)?.enabled !== false });
        this.deps.log.error(`Source ${row.key}: ${reason}`);
        continue;
      }
      if (parsed.data.enabled) wanted.set(row.key, { key: row.key, version: row.version, createdAt: row.createdAt, definition: parsed.data });
    }
    // A changed (or re-created) source restarts with its counters, and so does one that turned invalid: it is still
    // wanted (kairos_source_up says 0) until it is removed or disabled, which takes its series along.
    const kept = (key: string) => wanted.has(key) || this.invalid.get(key)?.enabled === true;
    for (const key of [...this.running.keys()]) {
      if (!sameSource(wanted.get(key), this.running.get(key))) await this.stopOne(key, !kept(key));
    }
    // One that turned invalid earlier, stopped then with its series kept, and removed or disabled since.
    for (const key of [...this.shown]) if (!this.running.has(key) && !kept(key)) this.forget(key);
    for (const [key, source] of wanted) {
      if (this.running.has(key) || this.stopped) continue;
      const consumer = this.deps.createConsumer({ key: source.key, version: source.version, definition: source.definition });
      this.running.set(key, { version: source.version, createdAt: source.createdAt, consumer });
      this.deps.metrics.started(key);
      this.shown.add(key);
      consumer.start();
    }
  }

  private forget(key: string): void {
    this.shown.delete(key);
    this.deps.metrics.forget(key);
  }

  private async stopOne(key: string, forget: boolean): Promise<void> {
    const entry = this.running.get(key);
    if (!entry) return;
    this.running.delete(key);
    await entry.consumer.stop();
    if (forget) this.forget(key);
  }
}
