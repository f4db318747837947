import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import type { JourneyEvent } from '../../domain/event';
import type { EventCancellationsRepository } from '../../store/repositories/event-cancellations.repository';
import type { EventsRepository } from '../../store/repositories/events.repository';
import type { RewardCausesRepository } from '../../store/repositories/reward-causes.repository';
import type { RewardsRepository } from '../../store/repositories/rewards.repository';
import type { OutboxDelivery, PlannedDelivery, SendOutcome, SignalOutboxRepository } from '../../store/repositories/signal-outbox.repository';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import { IngestMetrics } from '../metrics/ingest.metrics';
import type { RewardMetrics } from '../metrics/rewards.metrics';
import { JourneySender } from '../outbox/journey-sender';
import { DEFAULT_OUTBOX_OPTIONS, type OutboxOptions } from '../outbox/outbox.options';
import type { CampaignIndex } from '../routing/campaign-index';
import { EventsService } from './events.service';

/** Nothing at Temporal's address: gRPC UNAVAILABLE. */
const nothingThere = () => Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });

/**
 * The service over a repository that stores every event as new (each row
 * left to the request), a campaign `welcome` that every event starts, and a
 * Temporal that is not there: it writes down the journeys it was called for
 * and what was recorded.
 */
function serviceWith(opts: Partial<OutboxOptions>) {
  const called: string[] = [];
  const recorded: string[] = [];
  let nextId = 1;
  const outbox = {
    storeEvents: async (events: readonly JourneyEvent[], deliveries: readonly PlannedDelivery[]) => {
      const byId = new Map(events.map((e) => [e.id, e]));
      const queued = deliveries.map(
        (d): OutboxDelivery => ({ ...d, id: nextId++, userId: byId.get(d.eventId)!.userId, event: byId.get(d.eventId)!, attempts: 0, refusals: 0, requestId: null, claim: 0 }),
      );
      return { fresh: new Set(events.map((e) => e.id)), queued, toSend: queued };
    },
    record: async (outcomes: readonly SendOutcome[]) => {
      recorded.push(...outcomes.map((o) => `${o.id}:${'error' in o ? 'failed' : 'outcome' in o ? o.outcome : 'deferred'}`));
      return [];
    },
    rouseAwaitingTemporal: async () => 0,
  } as unknown as SignalOutboxRepository;
  const journeys = {
    idOf: (campaignKey: string, userId: string) => `journey:${campaignKey}:${userId}`,
    bounded: <T>(_ms: number, fn: () => Promise<T>) => fn(),
    deliverEvents: (d: { workflowId: string }) => {
      called.push(d.workflowId);
      return Promise.reject(nothingThere());
    },
    answers: async () => false,
  } as unknown as JourneyGateway;
  const index = { route: () => ({ start: [{ key: 'welcome', version: 1 }], signal: [] }) } as unknown as CampaignIndex;
  const options = { ...DEFAULT_OUTBOX_OPTIONS, ...opts };
  const sender = new JourneySender(journeys, options, outbox, {} as RewardsRepository, {} as RewardCausesRepository, {} as EventCancellationsRepository, {} as RewardMetrics);
  const service = new EventsService(outbox, {} as EventsRepository, sender, journeys, index, new IngestMetrics(new Registry()), options);
  return { service, called, recorded };
}

describe('EventsService while Temporal is away', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('calls it for no more journeys of the batch once one call found it away, and answers as for an outage', async () => {
    // One journey at a time: as the request's journeys past the first wave of `concurrency` calls.
    const { service, called, recorded } = serviceWith({ concurrency: 1 });
    const answer = await service.ingest(['u-1', 'u-2', 'u-3'].map((userId, i) => ({ id: `e-${i + 1}`, type: 'order.completed', userId, properties: {} })));
    expect(called).toEqual(['journey:welcome:u-1']);
    // Each event is accepted with the journey it is on its way to (the relay sends it), as when no call was made.
    expect(answer).toEqual({
      accepted: 3,
      duplicates: 0,
      results: [
        { id: 'e-1', status: 'accepted', journeys: ['journey:welcome:u-1'] },
        { id: 'e-2', status: 'accepted', journeys: ['journey:welcome:u-2'] },
        { id: 'e-3', status: 'accepted', journeys: ['journey:welcome:u-3'] },
      ],
    });
    // The journeys not called are handed back to the relay before the answer: due at once, no attempt counted.
    expect(recorded).toEqual(['1:failed', '2:deferred', '3:deferred']);
  });
});
