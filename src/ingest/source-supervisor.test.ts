import { Registry } from 'prom-client';
import type { SourceConsumer } from './source-consumer';
import { SourceMetrics } from './source-metrics';
import { SourceSupervisor, type StoredSourceRow } from './source-supervisor';

const mapping = { id: 'id', type: { const: 'order.paid' }, userId: 'user' };
const FIRST_CREATED = '2026-12-01T10:00:00.000Z';
/** Source `a` as stored; `createdAt` tells a source deleted and created again under that key from the one before. */
const row = (version: number, queue = 'orders', enabled = true, createdAt = FIRST_CREATED): StoredSourceRow => ({ key: 'a', version, createdAt, definition: { key: 'a', broker: 'rabbitmq', queue, enabled, mapping } });
const RECREATED = '2026-12-01T10:05:00.000Z';

interface FakeConsumer extends SourceConsumer {
  connected: boolean;
  lastError: string | null;
  version: number;
  queue: string;
  stopped: boolean;
}

/** A supervisor over fake consumers (connected once started) and a store read that answers `reads` in turn, the last one for ever. */
function supervisorOver(...reads: Array<StoredSourceRow[] | Error>) {
  const consumers: FakeConsumer[] = [];
  const errors: string[] = [];
  const registry = new Registry();
  let loads = 0;
  const supervisor = new SourceSupervisor({
    load: () => {
      const read = reads[Math.min(loads++, reads.length - 1)];
      return read instanceof Error ? Promise.reject(read) : Promise.resolve(read);
    },
    createConsumer: ({ key, version, definition }) => {
      const consumer: FakeConsumer = {
        key,
        version,
        queue: definition.broker === 'rabbitmq' ? definition.queue : definition.subject,
        connected: false,
        lastError: null,
        stopped: false,
        start: () => void (consumer.connected = true),
        stop: () => {
          consumer.connected = false;
          consumer.stopped = true;
          return Promise.resolve();
        },
      };
      consumers.push(consumer);
      return consumer;
    },
    metrics: new SourceMetrics(registry),
    log: { warn: () => undefined, error: (m) => void errors.push(m) },
    firstRetryMs: 1_000,
    maxRetryMs: 30_000,
  });
  const running = () => consumers.filter((c) => !c.stopped).map((c) => `${c.key} v${c.version} on ${c.queue}`);
  /** The reload metrics as Prometheus would scrape them now. */
  const reloadMetrics = async () => {
    const failures = (await registry.getSingleMetric('kairos_source_reload_failures_total')!.get()).values.filter((v) => v.value > 0);
    const failing = (await registry.getSingleMetric('kairos_source_reload_failing')!.get()).values[0]?.value;
    return { failures: Object.fromEntries(failures.map((v) => [v.labels.trigger, v.value])), failing };
  };
  return { supervisor, consumers, errors, running, loads: () => loads, reloadMetrics };
}

const overloaded = () => new Error('canceling statement due to statement timeout');

describe('SourceSupervisor: a reload that fails is tried again until one succeeds', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('stops a deleted source once PostgreSQL answers again, backing off between attempts', async () => {
    const { supervisor, running, errors, loads } = supervisorOver([row(1)], overloaded(), overloaded(), []);
    await supervisor.reload();
    expect(running()).toEqual(['a v1 on orders']);

    await expect(supervisor.reload()).rejects.toThrow('statement timeout');
    expect(running()).toEqual(['a v1 on orders']);
    // First retry after 0.8 to 1 s (jitter takes up to a fifth off); it fails too, and the next waits 1.6 to 2 s.
    await jest.advanceTimersByTimeAsync(1_000);
    expect({ loads: loads(), running: running() }).toEqual({ loads: 3, running: ['a v1 on orders'] });
    await jest.advanceTimersByTimeAsync(1_399);
    expect({ loads: loads(), running: running() }).toEqual({ loads: 3, running: ['a v1 on orders'] });
    await jest.advanceTimersByTimeAsync(601);
    expect({ loads: loads(), running: running() }).toEqual({ loads: 4, running: [] });
    expect(errors).toEqual([expect.stringMatching(/^Could not reload the event sources \(change\): canceling statement .*; trying again in \d+ ms$/), expect.stringMatching(/\(retry\).*trying again in \d+ ms$/)]);

    // Reloaded, it retries no more.
    await jest.advanceTimersByTimeAsync(120_000);
    expect(loads()).toBe(4);
    await supervisor.stop();
  });

  it('counts failed reloads by what asked for them, and says while the latest failed (metrics)', async () => {
    const { supervisor, reloadMetrics } = supervisorOver([row(1)], overloaded(), overloaded(), [row(1)]);
    await supervisor.reload();
    expect(await reloadMetrics()).toEqual({ failures: {}, failing: 0 });
    await supervisor.reload('reconcile').catch(() => undefined);
    expect(await reloadMetrics()).toEqual({ failures: { reconcile: 1 }, failing: 1 });
    await jest.advanceTimersByTimeAsync(1_000);
    expect(await reloadMetrics()).toEqual({ failures: { reconcile: 1, retry: 1 }, failing: 1 });
    await jest.advanceTimersByTimeAsync(2_000);
    expect(await reloadMetrics()).toEqual({ failures: { reconcile: 1, retry: 1 }, failing: 0 });
    await supervisor.stop();
  });

  it('ends running the new definition of a changed source', async () => {
    const { supervisor, running } = supervisorOver([row(1)], overloaded(), [row(2, 'orders-v2')]);
    await supervisor.reload();
    await supervisor.reload().catch(() => undefined);
    expect(running()).toEqual(['a v1 on orders']);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(running()).toEqual(['a v2 on orders-v2']);
    await supervisor.stop();
  });

  it('starts a new source whose first reload failed', async () => {
    const { supervisor, running } = supervisorOver(overloaded(), [row(1)]);
    await supervisor.reload().catch(() => undefined);
    expect(running()).toEqual([]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(running()).toEqual(['a v1 on orders']);
    await supervisor.stop();
  });

  it('drops the pending retry when a later reload succeeds, and retries nothing once stopped', async () => {
    const first = supervisorOver([row(1)], overloaded(), []);
    await first.supervisor.reload();
    await first.supervisor.reload().catch(() => undefined);
    await first.supervisor.reload();
    expect(first.running()).toEqual([]);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(first.loads()).toBe(3);

    const second = supervisorOver(overloaded());
    await second.supervisor.reload().catch(() => undefined);
    await second.supervisor.stop();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(second.loads()).toBe(1);
  });
});

describe('SourceSupervisor: what it says of a source it does not run as stored', () => {
  it('does not call a newer version consuming while an older one runs, and says why', async () => {
    const { supervisor } = supervisorOver([row(1)], overloaded());
    await supervisor.reload();
    expect(supervisor.consumerOf(row(1))).toEqual({ state: 'consuming', lastError: null });
    expect(supervisor.consumerOf(row(2, 'orders-v2'))).toEqual({ state: 'connecting', lastError: expect.stringMatching(/^this instance still runs v1: /) });

    await supervisor.reload().catch(() => undefined);
    for (const stored of [row(2, 'orders-v2'), row(2, 'orders', false)]) {
      expect(supervisor.consumerOf(stored)).toEqual({ state: 'connecting', lastError: expect.stringMatching(/^this instance still runs v1: reloading the sources failed \(canceling statement due to statement timeout\); it is tried again/) });
    }
    await supervisor.stop();
  });

  it('says a removed source is removed only once its consumer stopped', async () => {
    const { supervisor } = supervisorOver([row(1)], overloaded(), []);
    await supervisor.reload();
    await supervisor.reload().catch(() => undefined);
    expect(supervisor.consumerOfRemoved('a')).toEqual({ state: 'consuming', lastError: expect.stringMatching(/^removed, but this instance still runs v1: reloading the sources failed/) });
    await supervisor.reload();
    expect(supervisor.consumerOfRemoved('a')).toEqual({ state: 'removed', lastError: null });
    await supervisor.stop();
  });
});

describe('SourceSupervisor: a source deleted and created again under its key (review-56-sources, finding 1)', () => {
  it('restarts it on the new definition, though its version is the old one again', async () => {
    const { supervisor, running } = supervisorOver([row(1)], [row(1, 'orders-v2', true, RECREATED)]);
    await supervisor.reload();
    await supervisor.reload();
    expect(running()).toEqual(['a v1 on orders-v2']);
    expect(supervisor.consumerOf(row(1, 'orders-v2', true, RECREATED))).toEqual({ state: 'consuming', lastError: null });
    await supervisor.stop();
  });

  it('restarts it when it reached the version the old one had', async () => {
    const { supervisor, running } = supervisorOver([row(3)], [row(3, 'orders-v2', true, RECREATED)]);
    await supervisor.reload();
    await supervisor.reload();
    expect(running()).toEqual(['a v3 on orders-v2']);
    await supervisor.stop();
  });

  it('does not call it consuming while the deleted one still runs, and says why', async () => {
    const { supervisor } = supervisorOver([row(1)], overloaded());
    await supervisor.reload();
    await supervisor.reload().catch(() => undefined);
    expect(supervisor.consumerOf(row(1, 'orders-v2', true, RECREATED))).toEqual({
      state: 'connecting',
      lastError: expect.stringMatching(/^this instance still runs v1 of the source a deleted since: reloading the sources failed/),
    });
    await supervisor.stop();
  });
});

describe('SourceSupervisor: what a consuming source still has trouble with (review-56-sources, finding 4)', () => {
  it("shows the consumer's lastError while it consumes (a blocked connection, messages coming back)", async () => {
    const { supervisor, consumers } = supervisorOver([row(1)]);
    await supervisor.reload();
    consumers[0].lastError = 'RabbitMQ blocked the dead-letter connection: low on memory';
    expect(supervisor.consumerOf(row(1))).toEqual({ state: 'consuming', lastError: 'RabbitMQ blocked the dead-letter connection: low on memory' });
    consumers[0].lastError = null;
    expect(supervisor.consumerOf(row(1))).toEqual({ state: 'consuming', lastError: null });
    await supervisor.stop();
  });
});

describe('SourceSupervisor: a stored source that no longer parses (review-58-sources, finding 1)', () => {
  /** Stored under an older schema: an id with a default, which this one refuses. */
  const stale = (enabled?: boolean): StoredSourceRow => ({
    key: 'orders',
    version: 1,
    createdAt: 'c',
    definition: { key: 'orders', broker: 'rabbitmq', queue: 'q', ...(enabled === undefined ? {} : { enabled }), mapping: { id: { path: 'id', default: 'x' }, type: { const: 't' }, userId: 'u' } },
  });
  const good: StoredSourceRow = { key: 'orders', version: 1, createdAt: 'c', definition: { key: 'orders', broker: 'rabbitmq', queue: 'q', mapping } };

  /** The series of source `orders` as Prometheus would scrape them now. */
  async function seriesOf(registry: Registry): Promise<string[]> {
    return (await registry.metrics())
      .split('\n')
      .filter((l) => l.includes('source="orders"'))
      .sort();
  }

  function over(...reads: StoredSourceRow[][]) {
    const registry = new Registry();
    const errors: string[] = [];
    let loads = 0;
    const consumers: Array<{ stopped: boolean }> = [];
    const supervisor = new SourceSupervisor({
      load: () => Promise.resolve(reads[Math.min(loads++, reads.length - 1)]),
      createConsumer: ({ key }) => {
        const state = { stopped: false };
        consumers.push(state);
        return { key, connected: true, lastError: null, start: () => undefined, stop: () => Promise.resolve(void (state.stopped = true)) };
      },
      metrics: new SourceMetrics(registry),
      log: { warn: () => undefined, error: (m) => void errors.push(m) },
    });
    return { supervisor, registry, errors, consumers };
  }

  it('shows kairos_source_up 0 for it, so the alert can fire, and says why in lastError', async () => {
    const { supervisor, registry, errors } = over([stale()]);
    await supervisor.reload();
    expect((await registry.getSingleMetric('kairos_source_up')!.get()).values).toContainEqual({ labels: { source: 'orders' }, value: 0 });
    const view = supervisor.consumerOf(stale());
    expect(view).toEqual({ state: 'invalid', lastError: expect.stringMatching(/mapping\.id\.default: an id has no default/) });
    expect(errors).toEqual([expect.stringContaining('mapping.id.default: an id has no default')]);
    await supervisor.stop();
  });

  it('keeps the counters of a running source that turned invalid, and drops them all once it is disabled or removed', async () => {
    for (const gone of [[stale(false)], []]) {
      const { supervisor, registry, consumers } = over([good], [stale()], gone);
      await supervisor.reload();
      expect(await seriesOf(registry)).toContain('kairos_source_up{source="orders"} 1');
      await supervisor.reload();
      expect(consumers.map((c) => c.stopped)).toEqual([true]);
      expect(await seriesOf(registry)).toEqual([
        'kairos_source_consumed_total{source="orders"} 0',
        'kairos_source_dead_lettered_total{source="orders"} 0',
        'kairos_source_duplicates_total{source="orders"} 0',
        'kairos_source_store_retries_total{source="orders"} 0',
        'kairos_source_up{source="orders"} 0',
      ]);
      await supervisor.reload();
      expect(await seriesOf(registry)).toEqual([]);
      await supervisor.stop();
    }
  });

  it('shows nothing for an invalid source stored disabled', async () => {
    const { supervisor, registry } = over([stale(false)]);
    await supervisor.reload();
    expect(await seriesOf(registry)).toEqual([]);
    expect(supervisor.consumerOf(stale(false))).toMatchObject({ state: 'invalid', lastError: expect.stringMatching(/id\.default/) });
    await supervisor.stop();
  });
});
