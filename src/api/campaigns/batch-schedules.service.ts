import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { Config } from '../../config/config';
import type { CompiledPlan } from '../../domain/compiler';
import type { CampaignRow, CampaignStatus } from '../../store/repositories/campaigns.repository';
import { syncBatchSchedule } from '../../temporal/batch-schedules';
import { DependencyUnavailableError } from '../common/errors';
import { allowedFrom, type StatusAction } from './status-changes';
import { CONFIG, TEMPORAL_CLIENT } from '../core/tokens';

const SYNC_TIMEOUT_MS = 10_000;

/** Temporal did not take a Schedule's update; `reason` is its error's text. */
export class ScheduleSyncError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * Keeps the Temporal Schedule of an entry.cron campaign in line with its
 * status after every status change. The change is already stored when this
 * runs; if Temporal cannot be reached, sync throws ScheduleSyncError and
 * the request answers 503 (scheduleUnavailable) naming the request that
 * brings the Schedule in line.
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
      throw new ScheduleSyncError((err as Error).message);
    }
  }
}

/** The request whose change was stored before another landed: its action, the version an activation named, and its precondition (`ifStatus`). */
export interface StoredRequest {
  action: StatusAction;
  version?: number | null;
  ifStatus?: readonly CampaignStatus[];
}

/**
 * The 503 of a Schedule that could not be updated, naming the request that
 * brings it in line: the campaign's status now (`now`), which need not be
 * what the failed request asked for. When another change landed after this
 * one (`requested`), repeating this request would undo that change: the
 * answer says what it would do and carries no Retry-After, so a client that
 * retries what Retry-After invites does not pause an active campaign.
 */
export function scheduleUnavailable(now: CampaignRow, reason: string, requested?: StoredRequest): DependencyUnavailableError {
  const resync = `send ${resyncRequest(now)}`;
  if (requested === undefined) {
    return new DependencyUnavailableError('temporal', `Campaign ${now.key} is ${now.status}, but its batch-entry schedule could not be updated (${reason}); to bring it in line, ${resync}.`);
  }
  return new DependencyUnavailableError(
    'temporal',
    `This ${requestNoun(requested)} was stored, but campaign ${now.key} changed meanwhile and is now ${now.status}${now.activeVersion !== null ? ` (version ${now.activeVersion})` : ''}; its batch-entry schedule could not be updated to match (${reason}). Do not send this request again: ${repeatOutcome(requested, now)}. To bring the schedule in line, ${resync}.`,
    null,
  );
}

function requestNoun({ action, version }: StoredRequest): string {
  if (action === 'activate') return version != null ? `activation of version ${version}` : 'activation';
  return action === 'pause' ? 'pause' : 'archiving';
}

/** What repeating the stored request would do to the campaign as it is now. */
function repeatOutcome({ action, version, ifStatus }: StoredRequest, now: CampaignRow): string {
  if (!allowedFrom(action, ifStatus).includes(now.status)) return `it would be refused, as the campaign is ${now.status}`;
  if (action === 'pause') return 'it would pause the campaign again';
  if (action === 'archive') return 'it would archive the campaign';
  const which = version != null ? `version ${version}` : 'its latest version';
  return now.status === 'active' ? `it would switch the campaign back to ${which}` : `it would activate ${which} again`;
}

/** The request that, repeated, leaves the campaign as it is and syncs its schedule; an activation names its version, so a newer one saved meanwhile is not switched to. */
function resyncRequest(campaign: CampaignRow): string {
  const action = ({ active: 'activate', paused: 'pause', archived: 'archive', draft: null } as const)[campaign.status];
  if (action === null) return `nothing: campaign ${campaign.key} is a draft`;
  const body = action === 'activate' && campaign.activeVersion !== null ? ` with {"version":${campaign.activeVersion}}` : '';
  return `POST /v1/campaigns/${campaign.key}/${action}${body}`;
}
