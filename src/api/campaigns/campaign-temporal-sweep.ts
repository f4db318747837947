import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { PlanStore } from '../../store/plan-store';
import { CampaignsRepository, type CampaignRow } from '../../store/repositories/campaigns.repository';
import { JourneyGateway } from '../../temporal/journey-gateway';
import { BatchSchedules, ScheduleRefusedError } from './batch-schedules.service';
import { sameStatus, TEMPORAL_CALL_MS } from './status-changes';

/** How often each API instance looks for campaigns whose Temporal side was left behind their status. */
export const SWEEP_EVERY_MS = 60_000;
/**
 * A mark younger than this is the request's own to settle: it may still be
 * syncing (up to five rounds of a 10 s call, and the archive notice).
 */
export const SWEEP_GRACE_MS = 120_000;
/**
 * Campaigns tried per sweep at most: status changes are rare; a long outage's
 * leftovers take a few sweeps. Those never tried go first, then those tried
 * the longest ago, so campaigns Temporal keeps refusing hold back no others.
 */
const SWEEP_BATCH = 50;
/** Syncs per campaign per sweep at most (each after the last read): a campaign changing under every sync waits for the next sweep. */
const SYNC_ROUNDS = 5;
/**
 * How often each API instance compares every batch-entry Schedule with its
 * campaign (and once at boot): what drifts without a status change (a task
 * queue changed, a new namespace or cluster, a Schedule deleted by hand).
 */
export const RECONCILE_EVERY_MS = 10 * 60_000;
/** Campaigns read per page of a reconcile pass. */
const RECONCILE_PAGE = 50;
/** Campaigns one reconcile pass checks at most (a describe each): the next pass goes on after the last one checked. */
const RECONCILE_PER_PASS = 500;

/** What one reconcile pass did. */
export interface ReconcileReport {
  checked: number;
  /** Schedules found out of line and synced. */
  repaired: number;
  /** Campaigns whose Schedule Temporal refused as sent (see kairos_campaign_schedules_refused). */
  refused: number;
  /** Running ticks found on another task queue than this deployment's. */
  ticksElsewhere: number;
}


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
 *
 * The reconcile pass (reconcile()) covers what no status change marks: at
 * boot and every RECONCILE_EVERY_MS it pages through every campaign that may
 * have a batch-entry Schedule, describes it, and syncs it (the same sync, so
 * the same reading again) when it is missing, left behind, on another task
 * queue, at another version or zone, or paused otherwise than the campaign.
 *
 * A Schedule Temporal refuses as sent (ScheduleRefusedError: a zone its tz
 * data lacks) is no outage: either pass logs it at error once per campaign,
 * and counts it apart (kairos_campaign_schedules_refused) until a sync of the
 * campaign succeeds or finds nothing to change.
 */
@Injectable()
export class CampaignTemporalSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CampaignTemporalSweep');
  private readonly unsettled: Gauge;
  private readonly repaired: Counter;
  private readonly ticksElsewhere: Gauge;
  /** Campaigns whose Schedule Temporal refused at their last sync, with its reason. */
  private readonly refused = new Map<string, string>();
  /**
   * Marked campaigns this instance's sweeps tried and did not settle, in the
   * order of their last try (the longest ago first): the next sweep takes
   * campaigns never tried first, then these in this order.
   */
  private readonly tried = new Map<string, true>();
  private timer: NodeJS.Timeout | undefined;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private running: Promise<number | null> | null = null;
  private reconciling: Promise<ReconcileReport | null> | null = null;
  /** Where the next reconcile pass goes on (null: from the first campaign). */
  private reconcileAfter: string | null = null;
  private stopping = false;

  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly schedules: BatchSchedules,
    private readonly plans: PlanStore,
    private readonly journeys: JourneyGateway,
    @Inject(Registry) registry: Registry,
  ) {
    this.unsettled = new Gauge({
      name: 'kairos_campaign_temporal_unsettled',
      help: "Campaigns whose status changed over 2 minutes ago while Temporal's side of it (batch-entry Schedule, archive notice) is still not in line, as the last sweep left them (reached by it or waiting their turn); each sweep (every minute) tries up to 50, those never tried or tried the longest ago first. Schedules Temporal refused are counted in kairos_campaign_schedules_refused instead.",
      registers: [registry],
    });
    const refused = this.refused;
    new Gauge({
      name: 'kairos_campaign_schedules_refused',
      help: "Campaigns whose batch-entry Schedule Temporal refused as sent at their last sync (a zone the server's tz data lacks): no tick runs for them, and no retry helps; logged at error once per campaign.",
      registers: [registry],
      collect() {
        this.set(refused.size);
      },
    });
    this.repaired = new Counter({
      name: 'kairos_campaign_schedules_repaired_total',
      help: 'Batch-entry Schedules the reconcile pass (at boot and every 10 minutes) found out of line with their campaign (missing, left behind, on another task queue, at another version) and synced.',
      registers: [registry],
    });
    this.ticksElsewhere = new Gauge({
      name: 'kairos_batch_ticks_on_other_queue',
      help: "Running batch-entry ticks the last reconcile pass found on another task queue than this deployment's; a tick no worker polls holds its Schedule (overlap SKIP) until terminated.",
      registers: [registry],
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
    this.reconcileTimer = setInterval(() => void this.reconcile(), RECONCILE_EVERY_MS);
    this.reconcileTimer.unref();
    // Not awaited: the API boots while Temporal is away; the pass then stops at its first call and the next one tries again.
    void this.reconcile();
  }

  /** Waits for a sweep under way: one stopped between its sync and its read again could leave a stale Schedule whose mark another instance's sweep removed. */
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    clearInterval(this.reconcileTimer);
    await Promise.all([this.running, this.reconciling]);
  }

  /** One sweep (one at a time per instance): how many campaigns it left unsettled, null when it could not read them; never rejects. */
  sweep(graceMs = SWEEP_GRACE_MS): Promise<number | null> {
    this.running ??= this.sweepOnce(graceMs).finally(() => (this.running = null));
    return this.running;
  }

  private async sweepOnce(graceMs: number): Promise<number | null> {
    let keys: string[];
    try {
      keys = await this.campaigns.unsettledTemporal(graceMs, SWEEP_BATCH, [...this.tried.keys()]);
    } catch (err) {
      this.logger.warn(`Campaign Temporal sweep skipped: ${(err as Error).message}`);
      return null;
    }
    for (const key of keys) {
      // Moved to the end: the campaigns this instance tried the longest ago come first next time.
      this.tried.delete(key);
      this.tried.set(key, true);
      try {
        if (await this.bringInLine(key, graceMs)) {
          this.tried.delete(key);
          this.refused.delete(key);
          this.logger.log(`Campaign ${key}: Temporal brought in line with its status.`);
        }
      } catch (err) {
        if (err instanceof ScheduleRefusedError) this.noteRefused(key, err);
        else this.logger.warn(`Campaign ${key}: Temporal still not in line with its status (${(err as Error).message}); the next sweep tries again.`);
      }
    }
    return this.countLeft(graceMs);
  }

  /**
   * The marked campaigns the sweeps have not brought in line, whether this
   * one reached them or not (those whose Schedule Temporal refuses are
   * counted apart); sets the gauge. Campaigns no longer marked leave `tried`.
   */
  private async countLeft(graceMs: number): Promise<number | null> {
    let marked: { count: number; among: string[] };
    try {
      marked = await this.campaigns.countUnsettledTemporal(graceMs, [...new Set([...this.tried.keys(), ...this.refused.keys()])]);
    } catch (err) {
      this.logger.warn(`Campaign Temporal sweep could not count what it left: ${(err as Error).message}`);
      return null;
    }
    const stillMarked = new Set(marked.among);
    for (const key of [...this.tried.keys()]) if (!stillMarked.has(key)) this.tried.delete(key);
    const left = marked.count - marked.among.filter((key) => this.refused.has(key)).length;
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

  /**
   * One reconcile pass (one at a time per instance): up to
   * RECONCILE_PER_PASS campaigns from where the last pass stopped; null when
   * it could not read them or Temporal did not answer (the next pass goes on
   * from there). Never rejects.
   */
  reconcile(): Promise<ReconcileReport | null> {
    this.reconciling ??= this.reconcileOnce().finally(() => (this.reconciling = null));
    return this.reconciling;
  }

  private async reconcileOnce(): Promise<ReconcileReport | null> {
    const report: ReconcileReport = { checked: 0, repaired: 0, refused: 0, ticksElsewhere: 0 };
    try {
      while (report.checked < RECONCILE_PER_PASS && !this.stopping) {
        const keys = await this.campaigns.withCronVersionAfter(this.reconcileAfter, RECONCILE_PAGE);
        for (const key of keys) {
          if (this.stopping) break;
          await this.reconcileCampaign(key, report);
          report.checked++;
          this.reconcileAfter = key;
        }
        if (keys.length < RECONCILE_PAGE) {
          this.reconcileAfter = null;
          break;
        }
      }
    } catch (err) {
      this.logger.warn(`Batch-entry Schedules not reconciled past ${report.checked} campaigns: ${(err as Error).message}; the next pass (in ${RECONCILE_EVERY_MS / 60_000} minutes) goes on from there.`);
      return null;
    }
    this.ticksElsewhere.set(report.ticksElsewhere);
    return report;
  }

  /**
   * Compares one campaign's Schedule with it and syncs it when it drifted.
   * A refusal is noted and the pass goes on (a campaign Temporal refuses
   * must not hold back the ones after it); anything else (Temporal or
   * PostgreSQL away) is thrown and ends the pass.
   */
  private async reconcileCampaign(key: string, report: ReconcileReport): Promise<void> {
    try {
      const drift = await this.repairIfDrifted(key, report);
      this.refused.delete(key);
      if (drift === null) return;
      report.repaired++;
      this.repaired.inc();
      this.logger.warn(`Campaign ${key}: ${drift}; its batch-entry Schedule was brought in line with the campaign.`);
    } catch (err) {
      if (!(err instanceof ScheduleRefusedError)) throw err;
      report.refused++;
      this.noteRefused(key, err);
    }
  }

  /** Why the campaign's Schedule was out of line, once synced; null when it was in line (or the campaign is gone). */
  private async repairIfDrifted(key: string, report: ReconcileReport): Promise<string | null> {
    const campaign = await this.campaigns.get(key);
    if (!campaign) return null;
    const { drift, runningTicks } = await this.schedules.inspect(campaign, await this.plans.activePlan(campaign));
    report.ticksElsewhere += await this.countTicksElsewhere(key, runningTicks);
    if (drift !== null) await this.syncScheduleUntilCurrent(campaign);
    return drift;
  }

  /** Syncs the Schedule to the campaign, reading it again after each sync and syncing again while it changed (as bringInLine, without marks). */
  private async syncScheduleUntilCurrent(first: CampaignRow): Promise<void> {
    let campaign = first;
    for (let round = 0; round < SYNC_ROUNDS; round++) {
      await this.schedules.sync(campaign, await this.plans.activePlan(campaign));
      const again = await this.campaigns.get(campaign.key);
      if (!again || sameStatus(again, campaign)) return;
      campaign = again;
    }
  }

  /**
   * Running ticks of the campaign on another task queue: after a queue
   * change one started before it runs where no worker may poll any more,
   * and holds the Schedule (overlap SKIP) until it ends. Only the operator
   * knows whether old workers still drain that queue, so it is logged, not
   * terminated.
   */
  private async countTicksElsewhere(key: string, ticks: readonly string[]): Promise<number> {
    let elsewhere = 0;
    for (const workflowId of ticks) {
      const queue = await this.schedules.tickQueue(workflowId);
      if (queue === null || queue === this.schedules.taskQueue) continue;
      elsewhere++;
      this.logger.warn(
        `Campaign ${key}: tick ${workflowId} runs on task queue ${queue}, not ${this.schedules.taskQueue}; its Schedule skips every later tick until it ends. Once no worker polls ${queue}, terminate it (temporal workflow terminate --workflow-id ${workflowId}).`,
      );
    }
    return elsewhere;
  }

  /** Logs a refused Schedule at error once per campaign and reason; it stays counted until a sync of the campaign succeeds. */
  private noteRefused(key: string, err: ScheduleRefusedError): void {
    if (this.refused.get(key) === err.reason) return;
    this.refused.set(key, err.reason);
    this.logger.error(
      `Campaign ${key}: Temporal refused its batch-entry Schedule (${err.reason}); no tick runs for it, and retrying does not help. Activate a version whose entry.${err.field} the Temporal server takes${err.field === 'timezone' ? " (or update the server's time zone data)" : ''}, or archive the campaign.`,
    );
  }
}
