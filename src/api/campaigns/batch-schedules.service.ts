import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { Config } from '../../config/config';
import type { CompiledPlan } from '../../domain/compiler';
import type { CampaignRow } from '../../store/repositories/campaigns.repository';
import { syncBatchSchedule } from '../../temporal/batch-schedules';
import { DependencyUnavailableError } from '../common/errors';
import type { StatusAction } from './status-changes';
import { CONFIG, TEMPORAL_CLIENT } from '../core/tokens';

const SYNC_TIMEOUT_MS = 10_000;

/**
 * Keeps the Temporal Schedule of an entry.cron campaign in line with its
 * status after every status change. The change is already stored when this
 * runs; if Temporal cannot be reached the request answers 503 naming the
 * request that brings the schedule in line (every status change may be
 * repeated). That is the campaign's status now, which need not be what the
 * failed request asked for: after a pause whose resync follows another's
 * activation, repeating the pause would pause the campaign.
 */
@Injectable()
export class BatchSchedules {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** `requested`: the status change whose request this is, when another change has since made the campaign `campaign.status`. */
  async sync(campaign: CampaignRow, activePlan: CompiledPlan | null, requested?: StatusAction): Promise<void> {
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
      const reason = (err as Error).message;
      const resync = `send ${resyncRequest(campaign)}`;
      throw new DependencyUnavailableError(
        'temporal',
        requested === undefined
          ? `Campaign ${campaign.key} is ${campaign.status}, but its batch-entry schedule could not be updated (${reason}); to bring it in line, ${resync}.`
          : `This ${requested} was stored, but campaign ${campaign.key} changed meanwhile and is now ${campaign.status}; its batch-entry schedule could not be updated to match (${reason}). Do not repeat the ${requested}: to bring the schedule in line, ${resync}.`,
      );
    }
  }
}

/** The request that, repeated, leaves the campaign as it is and syncs its schedule; an activation names its version, so a newer one saved meanwhile is not switched to. */
function resyncRequest(campaign: CampaignRow): string {
  const action = ({ active: 'activate', paused: 'pause', archived: 'archive', draft: null } as const)[campaign.status];
  if (action === null) return `nothing: campaign ${campaign.key} is a draft`;
  const body = action === 'activate' && campaign.activeVersion !== null ? ` with {"version":${campaign.activeVersion}}` : '';
  return `POST /v1/campaigns/${campaign.key}/${action}${body}`;
}
