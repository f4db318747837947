import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { CampaignIndex } from './campaign-index';

/**
 * The routing index's age: since its last successful load, whatever asked
 * for it (a change heard through LISTEN/NOTIFY, or the reconcile every
 * minute). The reconcile keeps it under about a minute while reloads
 * succeed, so an age well past that means reloads fail (with
 * kairos_routing_reload_failures_total); it does not show a LISTEN
 * connection that stopped hearing changes: the ChangeListener's ping finds
 * that one within seconds and reconnects.
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
