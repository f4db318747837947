import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { Gauge, Registry } from 'prom-client';
import { HELD_STATE } from '../../workflows/search-attributes';
import { TEMPORAL_CLIENT } from '../core/tokens';

const COUNT_TIMEOUT_MS = 2000;

/**
 * Journeys holding a step for an operator, counted by Temporal's visibility
 * at each scrape. While Temporal does not answer, the gauge keeps its last
 * value so the scrape still answers.
 */
@Injectable()
export class JourneysMetrics {
  constructor(@Inject(Registry) registry: Registry, @Inject(TEMPORAL_CLIENT) temporal: Client) {
    new Gauge({
      name: 'kairos_held_steps',
      help: 'Running journeys holding a step that failed for good, waiting for an operator to retry or skip it.',
      registers: [registry],
      async collect() {
        const count = await Promise.race([
          temporal.workflow.count(`JourneyState = '${HELD_STATE}' AND ExecutionStatus = 'Running'`).then((r) => r.count),
          new Promise<null>((resolve) => setTimeout(() => resolve(null), COUNT_TIMEOUT_MS).unref()),
        ]).catch(() => null);
        if (count !== null) this.set(count);
      },
    });
  }
}
