import { ApplicationFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { compileCampaign, type CompiledPlan } from '../../domain/compiler';
import { AudienceRepository } from '../../store/repositories/audience.repository';
import { JourneyContextRepository } from '../../store/repositories/journey-context.repository';
import { enterScheduled } from '../../temporal/journey-delivery';

export interface BatchActivityDeps {
  dataSource: DataSource;
  /** Batch entry starts journeys; absent in a worker that does not run it. */
  temporal?: { client: Client; taskQueue: string };
}

export interface AudiencePage {
  scanned: number;
  entered: number;
  lastUserId: string | null;
  done: boolean;
}

/** Journeys started at once by one page; the rest wait their turn. */
const START_CONCURRENCY = 16;

/** Batch entry (entry.cron): count and page through stored profiles, entering those in the audience. */
export function createBatchActivities(deps: BatchActivityDeps) {
  const audience = new AudienceRepository(deps.dataSource);
  const context = new JourneyContextRepository(deps.dataSource);
  const plans = new Map<string, CompiledPlan>();

  async function planOf(campaignKey: string, version: number): Promise<CompiledPlan> {
    const key = `${campaignKey}@${version}`;
    const cached = plans.get(key);
    if (cached) return cached;
    const definition = await context.definition(campaignKey, version);
    const compiled = definition ? compileCampaign(definition, { version }) : null;
    if (!compiled?.ok) {
      throw ApplicationFailure.create({ type: 'UnknownCampaignVersion', message: `campaign ${campaignKey} v${version} is missing or does not compile`, nonRetryable: true });
    }
    plans.set(key, compiled.value);
    return compiled.value;
  }

  return {
    async countProfiles(): Promise<number> {
      return audience.count();
    },

    /**
     * One page: evaluates the audience on each profile at `now` (the tick's
     * time) and enters the matching users. Retrying a page is safe: a journey
     * enters once per tick id.
     */
    async enterAudiencePage(req: { campaignKey: string; version: number; tickId: string; afterUserId: string | null; limit: number; now: number }): Promise<AudiencePage> {
      if (!deps.temporal) throw ApplicationFailure.create({ type: 'NotConfigured', message: 'this worker cannot start journeys', nonRetryable: true });
      const plan = await planOf(req.campaignKey, req.version);
      const rows = await audience.page(req.afterUserId, req.limit);
      const timezone = plan.entry.timezone;
      const matching = rows.filter(
        (r) =>
          !plan.audience ||
          plan.audience.evaluate({ event: null, user: r.attributes, journey: { enteredAt: null, stateEnteredAt: null, entries: 0 }, now: req.now, timezone, aggregate: () => null }),
      );
      const { client, taskQueue } = deps.temporal;
      for (let i = 0; i < matching.length; i += START_CONCURRENCY) {
        await Promise.all(
          matching.slice(i, i + START_CONCURRENCY).map((r) =>
            enterScheduled(client, taskQueue, { campaignKey: req.campaignKey, campaignVersion: req.version, userId: r.userId, tickId: req.tickId }),
          ),
        );
      }
      return { scanned: rows.length, entered: matching.length, lastUserId: rows.at(-1)?.userId ?? req.afterUserId, done: rows.length < req.limit };
    },
  };
}
