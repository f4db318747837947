import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { Config } from '../../config/config';
import type { CompiledPlan } from '../../domain/compiler';
import type { CampaignRow } from '../../store/repositories/campaigns.repository';
import { syncBatchSchedule } from '../../temporal/batch-schedules';
import { DependencyUnavailableError } from '../common/errors';
import { CONFIG, TEMPORAL_CLIENT } from '../core/tokens';

const SYNC_TIMEOUT_MS = 10_000;

/**
 * Keeps the Temporal Schedule of an entry.cron campaign in line with its
 * status after every status change. The change is already stored when this
 * runs; if Temporal cannot be reached the request answers 503, and repeating
 * it (every status change may be repeated) syncs the schedule.
 */
@Injectable()
export class BatchSchedules {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async sync(campaign: CampaignRow, activePlan: CompiledPlan | null): Promise<void> {
    try {
      await this.temporal.withDeadline(Date.now() + SYNC_TIMEOUT_MS, () =>
        syncBatchSchedule(this.temporal, this.config.temporal.taskQueue, {
          key: campaign.key,
          version: campaign.activeVersion ?? 0,
          status: campaign.status,
          cron: activePlan?.entry.cron ?? null,
          timezone: activePlan?.entry.timezone ?? 'UTC',
        }),
      );
    } catch (err) {
      throw new DependencyUnavailableError(
        'temporal',
        `Campaign ${campaign.key} is ${campaign.status}, but its batch-entry schedule could not be updated (${(err as Error).message}); repeat the request.`,
      );
    }
  }
}
