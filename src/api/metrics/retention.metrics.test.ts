import { Registry } from 'prom-client';
import type { RetentionRepository } from '../../store/repositories/retention.repository';
import { RetentionMetrics } from './retention.metrics';

describe('RetentionMetrics', () => {
  it('reads PostgreSQL at most once per 5 s, however often /metrics is asked (review 59, finding 3)', async () => {
    const registry = new Registry();
    let reads = 0;
    const retention = { lastDone: async () => (reads++, [{ kind: 'events', seconds: 1_700_000_000 }]) } as unknown as RetentionRepository;
    new RetentionMetrics(registry, retention);
    for (let i = 0; i < 20; i++) {
      expect(await registry.metrics()).toContain('kairos_retention_done_timestamp_seconds{kind="events"} 1700000000');
      await new Promise((r) => setImmediate(r));
    }
    expect(reads).toBe(1);
  });
});
