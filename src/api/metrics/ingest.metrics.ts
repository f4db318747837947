import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

@Injectable()
export class IngestMetrics {
  readonly eventsReceived: Counter<'status'>;
  readonly resentDiffering: Counter;

  constructor(@Inject(Registry) registry: Registry) {
    this.eventsReceived = new Counter({
      name: 'kairos_events_received_total',
      help: 'Events received through the API and the event sources, by outcome (those from a source are in kairos_source_consumed_total and kairos_source_duplicates_total too: do not add them).',
      labelNames: ['status'],
      registers: [registry],
    });
    // Shown from the start at 0, so the first of each is an increase Prometheus sees.
    for (const status of ['accepted', 'duplicate']) this.eventsReceived.inc({ status }, 0);
    this.resentDiffering = new Counter({
      name: 'kairos_events_resent_differing_total',
      help: 'Duplicates (counted in kairos_events_received_total too) whose id was first accepted with another type, user, time or properties: a sender reusing ids, whose later events are not used.',
      registers: [registry],
    });
  }
}
