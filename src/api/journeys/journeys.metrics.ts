import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { Gauge, Registry } from 'prom-client';
import { oncePerScrape } from '../../observability/once-per-scrape';
import { JourneyGateway } from '../../temporal/journey-gateway';
import { HELD_STATE } from '../../workflows/journey/contract';
import { BoundedTemporalCalls } from '../common/bounded-temporal-calls';
import { TEMPORAL_CLIENT } from '../core/tokens';
import { StateNamedVersionsCache } from './state-named-versions';

const COUNT_TIMEOUT_MS = 2000;

/**
 * How long a visibility count of held steps serves the scrapes after it: at
 * most one count per 5 s per API instance, whatever the request rate. Held
 * steps wait for a person, so a figure up to 5 s old is fresh enough, and
 * Prometheus (every 15 s) still gets a new count at each scrape.
 */
export const HELD_STEPS_MIN_INTERVAL_MS = 5_000;

/**
 * Journeys holding a step for an operator, counted by Temporal's visibility
 * at scrape time. Scrapes share the count in flight and, for
 * HELD_STEPS_MIN_INTERVAL_MS after it answers, its answer (oncePerScrape):
 * /metrics may be open to anyone (no METRICS_TOKEN), and a burst of scrapes,
 * or a loop sending the next one as the last answers, must not become a
 * burst of visibility counts, which spend the namespace's visibility rate
 * limit the held-steps page and running counts need. While Temporal does not
 * answer, the gauge keeps its last value so the scrape still answers.
 */
@Injectable()
export class JourneysMetrics implements OnApplicationShutdown {
  private readonly temporal: BoundedTemporalCalls;

  constructor(@Inject(Registry) registry: Registry, @Inject(TEMPORAL_CLIENT) client: Client, journeys: JourneyGateway, stateNamedVersions: StateNamedVersionsCache) {
    const temporal = (this.temporal = new BoundedTemporalCalls(client));
    // Versions with a state named `held` first: there that JourneyState is a state, not a held step.
    const count = async () => {
      const heldNamed = await stateNamedVersions.get(HELD_STATE);
      return temporal.run(COUNT_TIMEOUT_MS, () => journeys.countHeld(heldNamed));
    };
    const countHeld = oncePerScrape(count, COUNT_TIMEOUT_MS, HELD_STEPS_MIN_INTERVAL_MS);
    new Gauge({
      name: 'kairos_held_steps',
      help: 'Running journeys holding a step that failed for good, waiting for an operator to retry or skip it.',
      registers: [registry],
      async collect() {
        const count = await countHeld();
        if (count !== null) this.set(count);
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.temporal.drain();
  }
}
