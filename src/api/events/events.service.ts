import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { toJourneyEvent, type IncomingEvent, type JourneyEvent } from '../../domain/event';
import { EventsRepository } from '../../store/repositories/events.repository';
import { eventSignal, journeyWorkflow, journeyWorkflowId } from '../../workflows/journey.workflow';
import { CampaignKeyAttribute, UserIdAttribute } from '../../temporal/search-attributes';
import { CONFIG, TEMPORAL_CLIENT } from '../core/tokens';
import type { Config } from '../../config/config';
import { CampaignIndex, type CampaignRef } from '../routing/campaign-index';
import { DependencyUnavailableError } from '../common/errors';
import type { PostEventsResponse } from './events.schemas';
import { IngestMetrics } from '../metrics/ingest.metrics';

@Injectable()
export class EventsService {
  constructor(
    private readonly events: EventsRepository,
    private readonly index: CampaignIndex,
    private readonly metrics: IngestMetrics,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** Stores the events (a resent id is a duplicate) and delivers each new one to its journeys. */
  async ingest(incoming: readonly IncomingEvent[]): Promise<PostEventsResponse> {
    const receivedAt = new Date();
    const unique = new Map<string, JourneyEvent>();
    for (const e of incoming) if (!unique.has(e.id)) unique.set(e.id, toJourneyEvent(e, receivedAt));
    const fresh = await this.events.insertNew([...unique.values()]);

    const results = await Promise.all(
      incoming.map(async (e, i) => {
        const isFirstMention = incoming.findIndex((x) => x.id === e.id) === i;
        if (!isFirstMention || !fresh.has(e.id)) return { id: e.id, status: 'duplicate' as const, journeys: [] };
        const journeys = await this.deliver(unique.get(e.id)!);
        return { id: e.id, status: 'accepted' as const, journeys };
      }),
    );
    const accepted = results.filter((r) => r.status === 'accepted').length;
    this.metrics.eventsReceived.inc({ status: 'accepted' }, accepted);
    this.metrics.eventsReceived.inc({ status: 'duplicate' }, results.length - accepted);
    return { accepted, duplicates: results.length - accepted, results };
  }

  private async deliver(event: JourneyEvent): Promise<string[]> {
    const route = this.index.route(event.type);
    return Promise.all(route.start.map((campaign) => this.startOrSignal(campaign, event)));
  }

  private async startOrSignal(campaign: CampaignRef, event: JourneyEvent): Promise<string> {
    const workflowId = journeyWorkflowId(campaign.key, event.userId);
    try {
      await this.temporal.workflow.signalWithStart(journeyWorkflow, {
        workflowId,
        taskQueue: this.config.temporal.taskQueue,
        args: [{ version: 1, campaignKey: campaign.key, campaignVersion: campaign.version, userId: event.userId, initialState: campaign.initialState }],
        signal: eventSignal,
        signalArgs: [event],
        typedSearchAttributes: [
          { key: CampaignKeyAttribute, value: campaign.key },
          { key: UserIdAttribute, value: event.userId },
        ],
        memo: { campaignKey: campaign.key, campaignVersion: campaign.version },
      });
    } catch (err) {
      throw new DependencyUnavailableError('temporal', `Could not deliver event ${event.id} to ${workflowId}: ${(err as Error).message}`);
    }
    return workflowId;
  }
}
