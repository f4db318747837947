import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { CampaignIndex } from './campaign-index';

/**
 * The routing index's age. Every campaign change reloads it (LISTEN/NOTIFY),
 * so in a quiet system it grows between changes; an age that grows while
 * campaigns change means this instance stopped hearing them.
 */
@Injectable()
export class RoutingMetrics {
  constructor(@Inject(Registry) registry: Registry, index: CampaignIndex) {
    new Gauge({
      name: 'kairos_routing_index_age_seconds',
      help: 'Seconds since this API instance last loaded its campaign routing index.',
      registers: [registry],
      collect() {
        this.set(index.ageSeconds());
      },
    });
  }
}
