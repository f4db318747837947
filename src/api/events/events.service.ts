import { Inject, Injectable, Logger } from '@nestjs/common';
import { toJourneyEvent, type IncomingEvent, type JourneyEvent } from '../../domain/event';
import { EventsRepository, type ResentEventField } from '../../store/repositories/events.repository';
import { SignalOutboxRepository, type PlannedDelivery, type SendOutcome } from '../../store/repositories/signal-outbox.repository';
import { IngestMetrics } from '../metrics/ingest.metrics';
import { JourneyGateway } from '../../temporal/journey-gateway';
import { JourneySender } from '../outbox/journey-sender';
import { OUTBOX_OPTIONS, type OutboxOptions } from '../outbox/outbox.options';
import { CampaignIndex } from '../routing/campaign-index';
import { GroupedEventStore } from './grouped-event-store';
import type { PostEventsResponse } from './events.schemas';

/** Requests under way from which the store's statements wait briefly for one another (GroupedEventStore). */
const BUSY_AT = 8;

/**
 * Accepting events: store them with their deliveries in one transaction, then
 * send right away. Once stored, an event is never lost: whatever the
 * immediate send could not do, the outbox relay does later, so the answer is
 * 202 even while Temporal is down. A successful send's outcome is written
 * after the answer, together with other requests' (OutcomeRecorder): the
 * request's own round trips are the insert and the Temporal call.
 */
@Injectable()
export class EventsService {
  private readonly logger = new Logger('EventsService');
  private readonly store: GroupedEventStore;
  /** Requests being ingested now: from BUSY_AT on, the store gathers them into shared statements. */
  private underWay = 0;

  constructor(
    private readonly outbox: SignalOutboxRepository,
    private readonly stored: EventsRepository,
    private readonly sender: JourneySender,
    private readonly journeys: JourneyGateway,
    private readonly index: CampaignIndex,
    private readonly metrics: IngestMetrics,
    @Inject(OUTBOX_OPTIONS) private readonly opts: OutboxOptions,
  ) {
    this.store = new GroupedEventStore(outbox, () => this.underWay >= BUSY_AT);
  }

  /** `requestId`: the HTTP request's id, kept with the deliveries and carried into the journeys' signals. */
  async ingest(incoming: readonly IncomingEvent[], requestId?: string): Promise<PostEventsResponse> {
    this.underWay++;
    try {
      return await this.accept(incoming, requestId);
    } finally {
      this.underWay--;
    }
  }

  private async accept(incoming: readonly IncomingEvent[], requestId?: string): Promise<PostEventsResponse> {
    const receivedAt = new Date();
    const unique = new Map<string, JourneyEvent>();
    for (const e of incoming) if (!unique.has(e.id)) unique.set(e.id, toJourneyEvent(e, receivedAt, requestId));
    const events = [...unique.values()];
    // While Temporal looks unreachable, the rows go straight to the relay (no lease) and the answer does not wait.
    const sendNow = this.sender.reachable;
    const leaseUntil = Date.now() + this.opts.leaseMs;
    const planned = events.flatMap((e) => this.plan(e));
    // What this process delivered to these journeys but has not recorded yet is not in the way of their new rows.
    const closed = planned.length > 0 ? this.sender.closedUnrecorded(planned.map((d) => d.workflowId)) : [];
    // Concurrent requests share one statement and commit (GroupedEventStore); each is committed before it answers.
    const { fresh, queued, toSend } = await this.store.store({ events, deliveries: planned, leaseMs: sendNow ? this.opts.leaseMs : 0, closed });
    // Rows queued behind an older undelivered one of their journey are the relay's: sent now they could overtake it.
    // Once the journeys have the events the answer goes; their outcomes are recorded meanwhile (a failure's first).
    const outcomes = toSend.length > 0 ? await this.sender.send(toSend, leaseUntil, { recordLater: true }) : new Map<number, SendOutcome>();

    // A signal-only delivery that found no running journey reached none, nor did a dead one; every other is, or will be, in its journey.
    const journeys = new Map<string, string[]>();
    for (const d of queued) {
      const outcome = outcomes.get(d.id);
      if (outcome && 'outcome' in outcome && outcome.outcome !== 'delivered') continue;
      const list = journeys.get(d.eventId);
      if (list) list.push(d.workflowId);
      else journeys.set(d.eventId, [d.workflowId]);
    }
    const seen = new Set<string>();
    const results = incoming.map((e) => {
      const first = !seen.has(e.id);
      seen.add(e.id);
      if (!first || !fresh.has(e.id)) return { id: e.id, status: 'duplicate' as const, journeys: [] };
      return { id: e.id, status: 'accepted' as const, journeys: journeys.get(e.id) ?? [] };
    });
    const accepted = results.filter((r) => r.status === 'accepted').length;
    for (const r of results) if (r.status === 'accepted') this.logger.debug({ msg: 'event accepted', requestId, eventId: r.id, journeys: r.journeys });
    this.metrics.eventsReceived.inc({ status: 'accepted' }, accepted);
    this.metrics.eventsReceived.inc({ status: 'duplicate' }, results.length - accepted);
    return { accepted, duplicates: results.length - accepted, results: accepted === results.length ? results : await this.markDiffering(incoming, results, requestId) };
  }

  /**
   * A duplicate that is not the event first accepted under its id says so
   * (`differs`): a sender reusing ids would otherwise lose its later events
   * without a word. Asked only when there are duplicates, in one round trip.
   */
  private async markDiffering(incoming: readonly IncomingEvent[], results: PostEventsResponse['results'], requestId?: string): Promise<PostEventsResponse['results']> {
    const duplicates = results.flatMap((r, i) => (r.status === 'duplicate' ? [i] : []));
    let differences: ResentEventField[][];
    try {
      differences = await this.stored.differencesFromStored(duplicates.map((i) => incoming[i]));
    } catch (err) {
      // The events are stored and on their way: a failed comparison must not turn their 202 into an error.
      this.logger.warn({ msg: 'could not compare resent events with the stored ones; answered without differs', requestId, err: (err as Error).message });
      return results;
    }
    const marked = [...results];
    duplicates.forEach((i, n) => {
      const differs = differences[n];
      if (differs.length === 0) return;
      marked[i] = { ...results[i], differs };
      this.metrics.resentDiffering.inc();
      this.logger.warn({ msg: 'event id resent with a different event: the first one stands', requestId, eventId: results[i].id, differs });
    });
    return marked;
  }

  /** The journeys an event goes to, per the in-memory index: nothing at all for a type no campaign uses. */
  private plan(event: JourneyEvent): PlannedDelivery[] {
    const route = this.index.route(event.type);
    const to = (kind: 'start' | 'signal') => (c: { key: string; version: number }): PlannedDelivery => ({
      eventId: event.id,
      kind,
      campaignKey: c.key,
      campaignVersion: c.version,
      workflowId: this.journeys.idOf(c.key, event.userId),
    });
    return [...route.start.map(to('start')), ...route.signal.map(to('signal'))];
  }
}
