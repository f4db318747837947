import type { Client } from '@temporalio/client';
import { Registry } from 'prom-client';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import { JourneysMetrics } from './journeys.metrics';

/** JourneysMetrics over a gateway whose visibility count answers `answers` in turn, each after a short wait; `calls` counts the counts. */
function metricsOver(answers: number[]) {
  const registry = new Registry();
  const visibility = { calls: 0 };
  const journeys = {
    countHeld: async () => {
      const answer = answers[visibility.calls++] ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return answer;
    },
  } as unknown as JourneyGateway;
  // BoundedTemporalCalls runs each call under the connection's deadline.
  const client = { connection: { withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn() } } as unknown as Client;
  new JourneysMetrics(registry, client, journeys);
  return { registry, visibility };
}

describe('JourneysMetrics', () => {
  it('scrapes that meet share one visibility count: a burst of scrapes is not a burst of counts', async () => {
    const { registry, visibility } = metricsOver([4, 9]);
    const scrapes = await Promise.all([registry.metrics(), registry.metrics(), registry.metrics()]);
    expect(visibility.calls).toBe(1);
    for (const scrape of scrapes) expect(scrape).toContain('kairos_held_steps 4');
    // A later scrape counts again: the gauge follows the journeys.
    await new Promise((resolve) => setImmediate(resolve));
    expect(await registry.metrics()).toContain('kairos_held_steps 9');
    expect(visibility.calls).toBe(2);
  });
});
