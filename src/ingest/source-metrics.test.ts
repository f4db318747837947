import { Registry } from 'prom-client';
import { SourceMetrics } from './source-metrics';

describe('SourceMetrics', () => {
  it("shows a started source's counters at 0, so its first dead letter is an increase Prometheus sees; forget takes them away", async () => {
    const registry = new Registry();
    const metrics = new SourceMetrics(registry);
    metrics.started('orders');
    const lines = (await registry.metrics()).split('\n').filter((l) => l.includes('source="orders"'));
    expect(lines.sort()).toEqual(
      ['kairos_source_consumed_total', 'kairos_source_dead_lettered_total', 'kairos_source_duplicates_total', 'kairos_source_store_retries_total'].map((n) => `${n}{source="orders"} 0`),
    );
    // The consumers' own counter, shown at 0 from the consumer's start (review-62-mq, finding 3).
    metrics.deadLetterFailuresShown('orders');
    expect(await registry.metrics()).toContain('kairos_source_dead_letter_failures_total{source="orders"} 0');
    metrics.forget('orders');
    expect(await registry.metrics()).not.toContain('source="orders"');
  });
});
