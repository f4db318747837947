import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { nominalTickTime, tickKey } from '../../domain/campaign/tick-key';
import type { CompiledPlan } from '../../domain/compiler';
import { userKeysRead } from '../../domain/conditions/user-keys-read';
import { outsideScheduleWindow } from '../../domain/machine/entry';
import type { PlanStore } from '../../store/plan-store';
import { AudienceRepository, TICK_NEIGHBOURHOOD_MS } from '../../store/repositories/audience.repository';
import { JourneyContextRepository } from '../../store/repositories/journey-context.repository';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import { countInActivity } from '../activity-metrics';
import { enterInRounds, resumePoint, type FailedEntry } from './enter-in-rounds';
import { isRefusedForGood, isTemporalsOwn } from './entry-failures';
import { lateness, ticksBetween } from '../../domain/campaign/tick-times';

export interface BatchActivityDeps {
  dataSource: DataSource;
  plans: PlanStore;
  /** Batch entry starts journeys; absent in a worker that does not run it. */
  journeys?: JourneyGateway;
}

export interface AudiencePage {
  scanned: number;
  /**
   * Users this tick entered: in the audience and signalled, with an entry left under maxEntries (the journey may
   * still refuse by cooldown, frequency or mode), or found entered at the tick's time by an earlier attempt of this
   * tick. Not the users the other run of a local time a clock change repeats entered (left out, and not signalled).
   */
  entered: number;
  lastUserId: string | null;
  done: boolean;
  /** Why the tick stopped before the last profile: the campaign was paused, archived or moved to another version meanwhile, or it started too late. */
  stopped?: string;
  /**
   * Users of the page the tick gave up entering, and why: Temporal refused
   * their journey's entry for good, or it kept failing for them alone while
   * Temporal answered (each also logged, and counted in
   * kairos_batch_entries_failed_total). Absent when there are none.
   */
  failed?: FailedEntry[];
}

/** Journeys started at once by one page; the rest wait their turn. */
const START_CONCURRENCY = 16;

/** How long a page waits for Temporal to answer before giving up on a user whose entry keeps failing: no answer, no giving up. */
const PROBE_MS = 5_000;

/**
 * Entries other than the cron's ticks that may come between a tick's own
 * entry and a page looking for it: a tick triggered by hand, a version that
 * entered on events for a while.
 */
const DEPTH_SLACK = 4;
/** Ticks counted near a tick at most: a minute cron has 361 in the six hours around it. */
const DEPTH_TICKS_CAP = 1_000;

const FAILED_HELP =
  "Users a batch-entry tick gave up entering, by campaign: Temporal refused their journey's entry for good, or it kept failing for them alone while Temporal answered. Each is logged (warn) with its reason and named in its page's result; the tick goes on with the rest.";

/** Batch entry (entry.cron): count and page through stored profiles, entering those in the audience. */
export function createBatchActivities(deps: BatchActivityDeps) {
  const audience = new AudienceRepository(deps.dataSource);
  const journeyContext = new JourneyContextRepository(deps.dataSource);
  // Every page of a tick asks the same: counted once per tick (a minute cron's 361 ticks take tens of milliseconds).
  let depthOfTick: { key: string; depth: number } | null = null;

  /**
   * How many of each user's latest entries a page reads for the entries
   * near the tick (AudienceRepository.priorEntries): an entry near the tick
   * was made by a tick within TICK_NEIGHBOURHOOD_MS of it, and every entry
   * after it by a later tick (no two ticks of a Schedule run at once, SKIP),
   * so the ticks of the cron in that neighbourhood, and a few more, reach
   * back to it.
   */
  function priorEntriesDepth(cron: string, timezone: string, at: number): number {
    const key = `${cron}\u0000${timezone}\u0000${at}`;
    if (depthOfTick?.key !== key) {
      const ticks = ticksBetween(cron, timezone, new Date(at - TICK_NEIGHBOURHOOD_MS), new Date(at + TICK_NEIGHBOURHOOD_MS), DEPTH_TICKS_CAP);
      depthOfTick = { key, depth: Math.max(ticks, 1) + DEPTH_SLACK };
    }
    return depthOfTick.depth;
  }

  async function planOf(campaignKey: string, version: number): Promise<CompiledPlan> {
    const compiled = await deps.plans.plan(campaignKey, version);
    if (!compiled?.ok) {
      throw ApplicationFailure.create({ type: 'UnknownCampaignVersion', message: `campaign ${campaignKey} v${version} is missing or does not compile`, nonRetryable: true });
    }
    return compiled.value;
  }

  return {
    /** The profiles a tick pages through: those that existed when it was due (absent from ticks started before it was sent: all). */
    async countProfiles(req?: { tickId: string; now: number }): Promise<number> {
      return audience.count(req ? new Date(nominalTickTime(req.tickId, req.now)) : null);
    },

    /**
     * One page: evaluates the audience on each profile at the tick's time
     * (its nominal time, else `now`) and enters the matching users. Retrying a page is safe: a journey
     * enters once per tick id; and a retry goes on after the last user an
     * earlier attempt heartbeated (enterInRounds).
     */
    async enterAudiencePage(req: { campaignKey: string; version: number; tickId: string; afterUserId: string | null; limit: number; now: number }): Promise<AudiencePage> {
      const { journeys } = deps;
      if (!journeys) throw ApplicationFailure.create({ type: 'NotConfigured', message: 'this worker cannot start journeys', nonRetryable: true });
      // Pausing, archiving or activating another version changes the Schedule, not the tick under way: each page asks.
      // A version activated meanwhile takes the rest of the tick, as it takes every new entry (a Schedule not updated
      // yet still ticks with the old one); paused or archived, the tick stops.
      const now = await audience.entryVersion(req.campaignKey);
      if ('closed' in now) return { scanned: 0, entered: 0, lastUserId: req.afterUserId, done: true, stopped: now.closed };
      const version = now.version;
      const plan = await planOf(req.campaignKey, version);
      if (plan.entry.cron === null) return { scanned: 0, entered: 0, lastUserId: req.afterUserId, done: true, stopped: `version ${version} is active now, which takes no batch entry` };
      // When the tick was due: the schedule's nominal time (the same every week, where the run's start drifts), else `now`.
      const at = nominalTickTime(req.tickId, req.now);
      // Judged once, at the first page, by when the tick started (`now`, the same for every page and attempt): a tick
      // under way is not stopped halfway by its own slow pages.
      const late = req.afterUserId === null ? lateness(plan.entry.cron, plan.entry.timezone, at, req.now) : null;
      if (late !== null) return { scanned: 0, entered: 0, lastUserId: req.afterUserId, done: true, stopped: late };
      // The journey would refuse every user outside the schedule window (and one before it would wait idle): enter nobody.
      const outside = outsideScheduleWindow(plan.schedule, at);
      if (outside !== null) return { scanned: 0, entered: 0, lastUserId: req.afterUserId, done: true, stopped: outside };
      const rows = await audience.page(req.afterUserId, req.limit, new Date(at), plan.audience ? userKeysRead(plan.audience.normalized) : []);
      // The zone the journey judges the audience in again (schedule.timezone, as now() and monthDay do everywhere),
      // not entry.timezone, which only places the cron's ticks: a user picked here must not be refused there.
      const timezone = plan.schedule.timezone;
      // A retry goes on after the last user an earlier attempt settled (resumePoint).
      const ctx = Context.current();
      const resumed = resumePoint(rows.map((r) => r.userId), ctx.info.heartbeatDetails);
      const matching = rows.slice(resumed.after + 1).filter(
        (r) =>
          !plan.audience ||
          plan.audience.evaluate({ event: null, user: r.attributes, journey: { enteredAt: null, stateEnteredAt: null, entries: 0 }, now: at, timezone, aggregate: () => null }),
      );
      // Users with no entry left are not signalled: each would start a journey run only to be refused. Users an earlier
      // attempt entered (past its checkpoint) are counted, not signalled: a journey that ended since would enter again.
      const depth = priorEntriesDepth(plan.entry.cron, plan.entry.timezone, at);
      const prior = await audience.priorEntries(req.campaignKey, matching.map((r) => r.userId), plan.participation.maxEntries, new Date(at), depth);
      // The local time the tick stands for: the two runs of one time in an hour a clock change repeats enter once,
      // also when the journey the first run entered ended before the second (a new run knows no tick it took).
      const key = tickKey(at, plan.entry.timezone);
      const atTick = entriesOfTick(prior.nearTick, at, key, plan.entry.timezone);
      // Entered by the other run of this local time: neither signalled nor counted as entered by this tick.
      const entering = matching.filter((r) => !atTick.otherRun.has(r.userId) && (atTick.ownTick.has(r.userId) || !prior.spent.has(r.userId))).map((r) => r.userId);
      // Born at 0 for every campaign that ticks, so that a rate over it sees the first user given up on.
      countInActivity('kairos_batch_entries_failed_total', FAILED_HELP, { campaign: req.campaignKey }, 0);
      const enter = (userId: string) =>
        journeys.enterScheduled({ campaignKey: req.campaignKey, campaignVersion: version, userId, tickId: req.tickId, tickAt: at, tickKey: key }, ctx.cancellationSignal);
      const outcome = await enterInRounds(
        entering,
        async (userId) => {
          // Entered by an earlier attempt of this tick (past its checkpoint): counted, not signalled again.
          if (atTick.ownTick.has(userId)) return;
          await enter(userId);
        },
        {
          resumed: resumed.checkpoint,
          heartbeat: (c) => ctx.heartbeat(c),
          signal: ctx.cancellationSignal,
          isolation: {
            // A page's first failure fails it, as any failure did: most pass by its retry, which costs nobody an entry.
            retryAlone: ctx.info.attempt > 1,
            refusedForGood: isRefusedForGood,
            temporalsOwn: isTemporalsOwn,
            temporalAnswers: () => journeys.answers(PROBE_MS),
            // The failed call may have reached Temporal, and its journey ended since: asked again, as a page's retry asks.
            // Entered at this tick meanwhile: counted, not signalled. Entered by the other run of this local time
            // meanwhile: left out, neither signalled nor counted, as `entering` leaves such users out.
            enterAlone: async (userId) => {
              const now = await audience.priorEntries(req.campaignKey, [userId], plan.participation.maxEntries, new Date(at), depth);
              const entries = entriesOfTick(now.nearTick, at, key, plan.entry.timezone);
              if (entries.ownTick.has(userId)) return true;
              if (entries.otherRun.has(userId)) return false;
              await enter(userId);
              return true;
            },
          },
          gaveUp: (failed) => {
            ctx.log.warn('batch entry gave up on a user: the tick goes on with the rest', { campaignKey: req.campaignKey, tickId: req.tickId, userId: failed.userId, reason: failed.reason });
            countInActivity('kairos_batch_entries_failed_total', FAILED_HELP, { campaign: req.campaignKey });
          },
        },
        START_CONCURRENCY,
      );
      return {
        scanned: rows.length,
        entered: outcome.entered,
        lastUserId: rows.at(-1)?.userId ?? req.afterUserId,
        done: rows.length < req.limit,
        ...(outcome.failed.length > 0 ? { failed: outcome.failed } : {}),
      };
    },

    /** One page of an archived campaign's running journeys, each told it was archived; retrying a page is safe. */
    async tellArchivedJourneys(req: { campaignKey: string; pageToken: string | null; pageSize: number }): Promise<{ told: number; nextPageToken: string | null }> {
      const { journeys } = deps;
      if (!journeys) throw ApplicationFailure.create({ type: 'NotConfigured', message: 'this worker cannot reach journeys', nonRetryable: true });
      return journeys.tellArchivedPage(req.campaignKey, req.pageToken, req.pageSize);
    },

    /**
     * One page of the campaign's running journeys, each told the active version's schedule end as PostgreSQL has it
     * now (a page sent late tells the truth, and a journey keeps the newest activation); none once the campaign is no
     * longer active or paused. Retrying a page is safe.
     */
    async tellScheduleJourneys(req: { campaignKey: string; pageToken: string | null; pageSize: number }): Promise<{ told: number; nextPageToken: string | null }> {
      const { journeys } = deps;
      if (!journeys) throw ApplicationFailure.create({ type: 'NotConfigured', message: 'this worker cannot reach journeys', nonRetryable: true });
      const active = await journeyContext.activeSchedule(req.campaignKey);
      if (!active) return { told: 0, nextPageToken: null };
      return journeys.tellSchedulePage(req.campaignKey, { version: 1, ...active }, req.pageToken, req.pageSize);
    },
  };
}

/**
 * The users with an entry this tick's local time stands for: `ownTick`, at
 * the tick's time (an earlier attempt of this tick entered them); else
 * `otherRun`, at a time a whole number of minutes from it with the same
 * local minute (the other run of a time a clock change repeats entered
 * them). An entry by an event lands on a whole minute only by chance of a
 * millisecond.
 */
export function entriesOfTick(nearTick: ReadonlyMap<string, readonly Date[]>, at: number, key: string, timeZone: string): { ownTick: Set<string>; otherRun: Set<string> } {
  const ownTick = new Set<string>();
  const otherRun = new Set<string>();
  const sameKey = (entry: Date) => (entry.getTime() - at) % 60_000 === 0 && tickKey(entry.getTime(), timeZone) === key;
  for (const [userId, entries] of nearTick) {
    if (entries.some((entry) => entry.getTime() === at)) ownTick.add(userId);
    else if (entries.some(sameKey)) otherRun.add(userId);
  }
  return { ownTick, otherRun };
}
