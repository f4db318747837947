import { SourceDefinition, type StoredSource } from './source-definition';
import type { SourceConsumer } from './source-consumer';
import type { SourceMetrics } from './source-metrics';

export interface StoredSourceRow {
  key: string;
  version: number;
  definition: unknown;
}

export interface SupervisorDeps {
  load(): Promise<StoredSourceRow[]>;
  createConsumer(source: StoredSource): SourceConsumer;
  metrics: SourceMetrics;
  log: { warn(message: string): void; error(message: string): void };
}

export type SourceState = 'consuming' | 'connecting' | 'disabled' | 'invalid';

/**
 * Runs one consumer per enabled source, as stored: on every reload it starts
 * new sources, restarts changed ones (their version moved) and stops removed
 * or disabled ones. Reloads run one after another, so a burst of changes
 * ends in the latest state.
 */
export class SourceSupervisor {
  private readonly running = new Map<string, { version: number; consumer: SourceConsumer }>();
  private readonly invalid = new Set<string>();
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: SupervisorDeps) {
    deps.metrics.watch(() => [...this.running].map(([source, { consumer }]) => ({ source, consuming: consumer.connected })));
  }

  /** Brings the consumers in line with the stored sources; resolves when this reload (and those before it) ran. */
  reload(): Promise<void> {
    const next = this.chain.then(() => this.sync());
    this.chain = next.catch((err: Error) => this.deps.log.error(`Could not reload the event sources: ${err.message}`));
    return next;
  }

  /**
   * What this instance does with a stored source: `consuming`, or
   * `connecting` with why the last attempt failed; an enabled source it does
   * not run (not loaded yet, or its reload failed) is `connecting` too, saying
   * so, never `disabled`, which is for `enabled: false`.
   */
  consumerOf(row: StoredSourceRow): { state: SourceState; lastError: string | null } {
    if (this.invalid.has(row.key)) return { state: 'invalid', lastError: null };
    const entry = this.running.get(row.key);
    if (entry) return entry.consumer.connected ? { state: 'consuming', lastError: null } : { state: 'connecting', lastError: entry.consumer.lastError };
    if ((row.definition as { enabled?: unknown } | null)?.enabled === false) return { state: 'disabled', lastError: null };
    return { state: 'connecting', lastError: 'not started on this instance yet: it starts at the next reload of the sources (every change to a source brings one; the logs say why one failed)' };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.chain;
    await Promise.all([...this.running.keys()].map((key) => this.stopOne(key, false)));
  }

  private async sync(): Promise<void> {
    if (this.stopped) return;
    const wanted = new Map<string, StoredSource>();
    this.invalid.clear();
    for (const row of await this.deps.load()) {
      const parsed = SourceDefinition.safeParse(row.definition);
      // Definitions were validated when stored; one that no longer parses (a schema change) must not stop the others.
      if (!parsed.success) {
        this.invalid.add(row.key);
        this.deps.log.error(`Source ${row.key} v${row.version} is not valid any more: ${parsed.error.message}`);
        continue;
      }
      if (parsed.data.enabled) wanted.set(row.key, { key: row.key, version: row.version, definition: parsed.data });
    }
    for (const key of [...this.running.keys()]) {
      // A changed source restarts with its counters; a removed or disabled one takes its series along.
      if (wanted.get(key)?.version !== this.running.get(key)?.version) await this.stopOne(key, !wanted.has(key));
    }
    for (const [key, source] of wanted) {
      if (this.running.has(key) || this.stopped) continue;
      const consumer = this.deps.createConsumer(source);
      this.running.set(key, { version: source.version, consumer });
      this.deps.metrics.started(key);
      consumer.start();
    }
  }

  private async stopOne(key: string, forget: boolean): Promise<void> {
    const entry = this.running.get(key);
    if (!entry) return;
    this.running.delete(key);
    await entry.consumer.stop();
    if (forget) this.deps.metrics.forget(key);
  }
}
