import { Registry } from 'prom-client';
import { SourceMetrics } from '../../ingest/source-metrics';
import { SourceSupervisor, type StoredSourceRow } from '../../ingest/source-supervisor';
import type { ChangeHandler, ChangeListener } from '../routing/change-listener';
import { SourcesModule } from './sources.module';

describe('SourcesModule: a change whose notification was missed', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('is caught up by the periodic reconcile', async () => {
    let stored: StoredSourceRow[] = [];
    const started: string[] = [];
    const supervisor = new SourceSupervisor({
      load: () => Promise.resolve(stored),
      createConsumer: ({ key, version }) => ({ key, connected: true, lastError: null, start: () => void started.push(`${key} v${version}`), stop: () => Promise.resolve() }),
      metrics: new SourceMetrics(new Registry()),
      log: { warn: () => undefined, error: () => undefined },
    });
    let onChange: ChangeHandler = () => undefined;
    const listener = { subscribe: (_channel: string, handler: ChangeHandler) => (onChange = handler) } as unknown as ChangeListener;
    const module = new SourcesModule(listener, supervisor, { reconcileMs: 60_000, firstRetryMs: 250, maxRetryMs: 30_000 });
    module.onModuleInit();
    module.onApplicationBootstrap();
    onChange(null);
    await jest.advanceTimersByTimeAsync(0);

    // Stored while the LISTEN connection was down, and never notified.
    stored = [{ key: 'a', version: 1, createdAt: '2026-12-01T10:00:00.000Z', definition: { key: 'a', broker: 'rabbitmq', queue: 'q', mapping: { id: 'id', type: { const: 't' }, userId: 'u' } } }];
    await jest.advanceTimersByTimeAsync(59_000);
    expect(started).toEqual([]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(started).toEqual(['a v1']);
    await module.onApplicationShutdown();
  });
});
