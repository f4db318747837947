import type { Client } from '@temporalio/client';
import { Registry } from 'prom-client';
import type { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import type { ChangeListener } from '../routing/change-listener';
import { StateNamedVersionsCache } from './state-named-versions';
import { HELD_STEPS_MIN_INTERVAL_MS, JourneysMetrics } from './journeys.metrics';

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
  new JourneysMetrics(registry, client, journeys, new StateNamedVersionsCache({ versionsWithState: async () => new Map() } as unknown as CampaignsRepository, { subscribe: () => undefined } as unknown as ChangeListener));
  return { registry, visibility };
}

describe('JourneysMetrics', () => {
  // The clock oncePerScrape reads: the tests move it, never wait for it.
  let clock = 0;
  beforeEach(() => {
    clock = 0;
    jest.spyOn(performance, 'now').mockImplementation(() => clock);
  });
  afterEach(() => jest.restoreAllMocks());

  it('scrapes that meet share one visibility count: a burst of scrapes is not a burst of counts', async () => {
    const { registry, visibility } = metricsOver([4, 9]);
    const scrapes = await Promise.all([registry.metrics(), registry.metrics(), registry.metrics()]);
    expect(visibility.calls).toBe(1);
    for (const scrape of scrapes) expect(scrape).toContain('kairos_held_steps 4');
  });

  it('back-to-back scrapes (a loop on an open /metrics) reuse the last count until the interval has passed, then count again', async () => {
    const { registry, visibility } = metricsOver([4, 9]);
    for (let i = 0; i < 5; i++) {
      expect(await registry.metrics()).toContain('kairos_held_steps 4');
      await new Promise((resolve) => setImmediate(resolve));
      clock = Math.floor(((i + 1) * (HELD_STEPS_MIN_INTERVAL_MS - 1)) / 5);
    }
    expect(visibility.calls).toBe(1);
    // Once the interval has passed, a scrape counts again: the gauge follows the journeys.
    clock = HELD_STEPS_MIN_INTERVAL_MS;
    expect(await registry.metrics()).toContain('kairos_held_steps 9');
    expect(visibility.calls).toBe(2);
  });
});
