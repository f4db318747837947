import { Inject, Injectable } from '@nestjs/common';
import { isGrpcServiceError, ScheduleNotFoundError, WorkflowNotFoundError, type Client, type ScheduleDescription } from '@temporalio/client';
import { LATE_TICK_CAP_MS } from '../../domain/campaign/tick-times';
import type { Config } from '../../config/config';
import type { CompiledPlan } from '../../domain/compiler';
import type { CampaignRow, CampaignStatus } from '../../store/repositories/campaigns.repository';
import { syncBatchSchedule } from '../../temporal/batch-schedules';
import { batchEntryWorkflow, batchScheduleId } from '../../workflows/batch-entry.workflow';
import { DependencyUnavailableError } from '../common/errors';
import { allowedFrom, type StatusAction } from './status-changes';
import { CONFIG, TEMPORAL_CLIENT } from '../core/tokens';

const SYNC_TIMEOUT_MS = 10_000;
/** gRPC INVALID_ARGUMENT: Temporal refused the call as sent; sending it again changes nothing. */
const GRPC_INVALID_ARGUMENT = 3;

/** Temporal did not take a Schedule's update; `reason` is its error's text. */
export class ScheduleSyncError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * Temporal refused the Schedule itself, not for want of an answer: its spec
 * (a time zone the server's own tz data lacks, a cron it cannot read) is
 * refused however often it is sent. `field`: which part of the entry the
 * refusal names.
 */
export class ScheduleRefusedError extends ScheduleSyncError {
  readonly field: 'timezone' | 'cron';
  constructor(reason: string) {
    super(reason);
    this.field = /time ?zone|location/i.test(reason) ? 'timezone' : 'cron';
  }
}

/**
 * A refusal: the SDK's TypeError (it rethrows INVALID_ARGUMENT "Invalid
 * schedule spec" so, and throws it for an action it cannot send), or an
 * INVALID_ARGUMENT from the server, possibly wrapped in the SDK's ServiceError.
 */
export function isScheduleRefusal(err: unknown, depth = 0): boolean {
  if (err instanceof TypeError) return true;
  if (typeof err !== 'object' || err === null || depth > 3) return false;
  if (isGrpcServiceError(err) && err.code === GRPC_INVALID_ARGUMENT) return true;
  return isScheduleRefusal((err as { cause?: unknown }).cause, depth + 1);
}

/** What a campaign's Schedule should be: absent, or this version, paused or not, in this zone, within this window. */
export interface WantedSchedule {
  version: number;
  paused: boolean;
  timezone: string;
  /** schedule.startsAt and schedule.endsAt of the active version (epoch ms; null: open on that side). */
  startsAt: number | null;
  endsAt: number | null;
}

/** How a campaign's Schedule stands in Temporal: why it is out of line (null when it is not), and the ticks it runs now. */
export interface ScheduleState {
  drift: string | null;
  runningTicks: string[];
}

/**
 * Keeps the Temporal Schedule of an entry.cron campaign in line with its
 * status after every status change. The change is already stored when this
 * runs; if Temporal cannot be reached, sync throws ScheduleSyncError and
 * the request answers 503 (scheduleUnavailable) naming the request that
 * brings the Schedule in line. If Temporal refuses the Schedule as sent,
 * it throws ScheduleRefusedError instead: repeating the request cannot help.
 */
@Injectable()
export class BatchSchedules {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** The task queue every Schedule's ticks should start on: this deployment's. */
  get taskQueue(): string {
    return this.config.temporal.taskQueue;
  }

  async sync(campaign: CampaignRow, activePlan: CompiledPlan | null): Promise<void> {
    await this.call(() =>
      syncBatchSchedule(this.temporal, this.taskQueue, {
        key: campaign.key,
        version: campaign.activeVersion ?? 0,
        status: campaign.status,
        cron: activePlan?.entry.cron ?? null,
        timezone: activePlan?.entry.timezone ?? 'UTC',
        startsAt: activePlan?.schedule.startsAt ?? null,
        endsAt: activePlan?.schedule.endsAt ?? null,
      }),
    );
  }

  /**
   * Compares the campaign's Schedule with what its status and active plan
   * want (the reconcile pass syncs only what differs): missing or left
   * behind, on another task queue, running another version, in another
   * zone or window (a Schedule made before it carried the window has none),
   * paused or not. The cron itself comes back from Temporal compiled,
   * so it is not compared: a version's cron never changes, and the version is.
   * A missing Schedule past schedule.endsAt is in line (driftOf).
   */
  async inspect(campaign: CampaignRow, activePlan: CompiledPlan | null, now = Date.now()): Promise<ScheduleState> {
    const described = await this.describe(campaign.key);
    return { drift: driftOf(described, wantedSchedule(campaign, activePlan), this.taskQueue, now), runningTicks: runningTicks(described) };
  }

  /** The task queue a tick (a workflow the Schedule started) runs on now; null when it is gone. */
  async tickQueue(workflowId: string): Promise<string | null> {
    return this.call(async () => {
      const described = await this.temporal.workflow
        .getHandle(workflowId)
        .describe()
        .catch((err: unknown) => {
          if (err instanceof WorkflowNotFoundError) return null;
          throw err;
        });
      return described?.status.name === 'RUNNING' ? described.taskQueue : null;
    });
  }

  private async describe(key: string): Promise<ScheduleDescription | null> {
    return this.call(() =>
      this.temporal.schedule
        .getHandle(batchScheduleId(key))
        .describe()
        .catch((err: unknown) => {
          if (err instanceof ScheduleNotFoundError) return null;
          throw err;
        }),
    );
  }

  /** One Temporal call within SYNC_TIMEOUT_MS; its failure as ScheduleRefusedError (refused as sent) or ScheduleSyncError (anything else: away, slow). */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await this.temporal.withDeadline(Date.now() + SYNC_TIMEOUT_MS, fn);
    } catch (err) {
      if (isScheduleRefusal(err)) throw new ScheduleRefusedError((err as Error).message);
      throw new ScheduleSyncError((err as Error).message);
    }
  }
}

/** The Schedule a campaign's status and active plan call for; null for none (draft, archived, no entry.cron). */
export function wantedSchedule(campaign: CampaignRow, activePlan: CompiledPlan | null): WantedSchedule | null {
  if (!activePlan?.entry.cron || campaign.activeVersion === null) return null;
  if (campaign.status !== 'active' && campaign.status !== 'paused') return null;
  const { startsAt, endsAt } = activePlan.schedule;
  return { version: campaign.activeVersion, paused: campaign.status === 'paused', timezone: activePlan.entry.timezone, startsAt, endsAt };
}

/**
 * Why a described Schedule (null: none) is out of line with the one wanted;
 * null when it is in line. A campaign whose schedule.endsAt is past (`now`,
 * epoch ms) needs no Schedule: Temporal deletes a Schedule with no action
 * left about a week after its last one, and none is created again
 * (syncBatchSchedule), so its absence is not drift. One still there is
 * compared as any other.
 */
export function driftOf(described: ScheduleDescription | null, wanted: WantedSchedule | null, taskQueue: string, now = Date.now()): string | null {
  if (!wanted) return described ? 'a Schedule exists, though the campaign has no batch entry now' : null;
  if (!described) return wanted.endsAt !== null && wanted.endsAt < now ? null : 'its Schedule is missing';
  const { action, spec, state } = described;
  if (action.workflowType !== batchEntryWorkflow.name) return `its Schedule starts ${action.workflowType}, not ${batchEntryWorkflow.name}`;
  if (action.taskQueue !== taskQueue) return `its Schedule starts ticks on task queue ${action.taskQueue}, not ${taskQueue}`;
  const version = (action.args?.[0] as { campaignVersion?: unknown } | undefined)?.campaignVersion;
  if (version !== wanted.version) return `its Schedule runs version ${String(version)}, not ${wanted.version}`;
  const zone = spec.timezone || 'UTC';
  if (zone !== wanted.timezone) return `its Schedule runs in ${zone}, not ${wanted.timezone}`;
  // A Schedule made before it carried the window (or under another version's) would tick on after schedule.endsAt.
  const startAt = spec.startAt?.getTime() ?? null;
  if (startAt !== wanted.startsAt) return `its Schedule's startAt is ${instantText(startAt)}, not ${instantText(wanted.startsAt)} (schedule.startsAt)`;
  const endAt = spec.endAt?.getTime() ?? null;
  if (endAt !== wanted.endsAt) return `its Schedule's endAt is ${instantText(endAt)}, not ${instantText(wanted.endsAt)} (schedule.endsAt)`;
  if (state.paused !== wanted.paused) return wanted.paused ? 'its Schedule runs, though the campaign is paused' : 'its Schedule is paused, though the campaign is active';
  // A Schedule made before its catchup window was set has Temporal's (a year): it would start a tick days late after
  // an outage. Compared with the cap, not the cron's own limit, which moves with clock changes and would flap.
  const catchup = described.policies?.catchupWindow;
  if (catchup !== undefined && catchup > LATE_TICK_CAP_MS) return `its Schedule catches up ticks missed up to ${Math.round(catchup / 86_400_000)} days late, more than a tick may start late (a day)`;
  return null;
}

const instantText = (ms: number | null): string => (ms === null ? 'unset' : new Date(ms).toISOString());

const runningTicks = (described: ScheduleDescription | null): string[] => (described?.info.runningActions ?? []).map((a) => a.workflow.workflowId);

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

/**
 * The 503 of a status change stored while Temporal refuses the Schedule of
 * the campaign's active version as sent (its zone or cron): no Retry-After,
 * since the same request gets the same refusal. A tick reads the status at
 * each page, so a paused or archived campaign enters nobody meanwhile.
 */
export function scheduleRefused(now: CampaignRow, reason: string): DependencyUnavailableError {
  return new DependencyUnavailableError(
    'temporal',
    `Campaign ${now.key} is ${now.status}, but Temporal refused its batch-entry schedule (${reason}); repeating this request gets the same refusal. Each tick reads the status first, so a paused or archived campaign enters nobody meanwhile. To bring the schedule in line, activate a version whose entry.cron and zone the Temporal server takes, or archive the campaign.`,
    null,
    'schedule_refused',
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
