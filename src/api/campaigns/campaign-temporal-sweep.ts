import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { PlanStore } from '../../store/plan-store';
import { CampaignsRepository, type CampaignRow } from '../../store/repositories/campaigns.repository';
import { JourneyGateway } from '../../temporal/journey-gateway';
import { BatchSchedules } from './batch-schedules.service';
import { sameStatus, TEMPORAL_CALL_MS } from './status-changes';

/** How often each API instance looks for campaigns whose Temporal side was left behind their status. */
export const SWEEP_EVERY_MS = 60_000;
/**
 * A mark younger than this is the request's own to settle: it may still be
 * syncing (up to five rounds of a 10 s call, and the archive notice).
 */
export const SWEEP_GRACE_MS = 120_000;
/** Campaigns brought in line per sweep at most: status changes are rare; a long outage's leftovers take a few sweeps. */
const SWEEP_BATCH = 50;
/** Syncs per campaign per sweep at most (each after the last read): a campaign changing under every sync waits for the next sweep. */
const SYNC_ROUNDS = 5;


/**
 * Brings the Temporal side of a status change in line when the request that
 * made it could not: the change is committed first (with a mark, in
 * campaign_temporal_marks), then the request syncs the batch-entry Schedule
 * and, for an archive, tells the running journeys. When Temporal is away, or
 * the request's process ends in between, the request answers 503 or nothing
 * at all; without this sweep the Schedule would keep ticking for a paused
 * campaign, or the journeys of an archived one wait for ever, until someone
 * repeated the request. Each sync reads the campaign as it is now, so a
 * repeated or late one changes nothing; every API instance sweeps, and two
 * syncing one campaign at once end as it does (each reads again after
 * syncing and syncs again while the campaign changed, so whichever sync lands
 * last was followed by a read that found it current). Each change has its own
 * mark, so a later change settling its own leaves an earlier one's in place.
 */
@Injectable()
export class CampaignTemporalSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CampaignTemporalSweep');
  private readonly unsettled: Gauge;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number | null> | null = null;

  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly schedules: BatchSchedules,
    private readonly plans: PlanStore,
    private readonly journeys: JourneyGateway,
    @Inject(Registry) registry: Registry,
  ) {
    this.unsettled = new Gauge({
      name: 'kairos_campaign_temporal_unsettled',
      help: "Campaigns whose status changed over 2 minutes ago while Temporal's side of it (batch-entry Schedule, archive notice) is still not in line, as the last sweep left them; each sweep (every minute) tries again.",
      registers: [registry],
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  /** Waits for a sweep under way: one stopped between its sync and its read again could leave a stale Schedule whose mark another instance's sweep removed. */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One sweep (one at a time per instance): how many campaigns it left unsettled, null when it could not read them; never rejects. */
  sweep(graceMs = SWEEP_GRACE_MS): Promise<number | null> {
    this.running ??= this.sweepOnce(graceMs).finally(() => (this.running = null));
    return this.running;
  }

  private async sweepOnce(graceMs: number): Promise<number | null> {
    let keys: string[];
    try {
      keys = await this.campaigns.unsettledTemporal(graceMs, SWEEP_BATCH);
    } catch (err) {
      this.logger.warn(`Campaign Temporal sweep skipped: ${(err as Error).message}`);
      return null;
    }
    let left = 0;
    for (const key of keys) {
      try {
        if (await this.bringInLine(key, graceMs)) this.logger.log(`Campaign ${key}: Temporal brought in line with its status.`);
        else left++;
      } catch (err) {
        left++;
        this.logger.warn(`Campaign ${key}: Temporal still not in line with its status (${(err as Error).message}); the next sweep tries again.`);
      }
    }
    this.unsettled.set(left);
    return left;
  }

  /**
   * Syncs the campaign as it is now, then reads it again: when it changed
   * meanwhile (another request's sync may have landed before this one's),
   * syncs again, so this sync is never the stale one that lands last. Once
   * a read finds what was synced, the marks of the changes before that read
   * go (those older than the grace; a younger one's request settles its
   * own). False when the campaign kept changing.
   */
  async bringInLine(key: string, graceMs = SWEEP_GRACE_MS): Promise<boolean> {
    let read = await this.campaigns.withTemporalMark(key);
    if (!read || read.lastMark === null) return true;
    for (let round = 0; round < SYNC_ROUNDS; round++) {
      await this.sync(read.campaign);
      const again = await this.campaigns.withTemporalMark(key);
      if (!again) return true;
      if (sameStatus(again.campaign, read.campaign)) {
        if (again.lastMark !== null) await this.campaigns.settleTemporalUpTo(key, again.lastMark, graceMs);
        return true;
      }
      read = again;
    }
    return false;
  }

  private async sync(campaign: CampaignRow): Promise<void> {
    if (await this.campaigns.hasCronVersion(campaign.key)) {
      await this.schedules.sync(campaign, await this.plans.activePlan(campaign));
    }
    // Telling them again is harmless: a journey already told ignores it, and one running notice is joined.
    if (campaign.status === 'archived' && campaign.activeVersion !== null) {
      await this.journeys.bounded(TEMPORAL_CALL_MS, () => this.journeys.startArchiveNotice(campaign.key));
    }
  }
}
