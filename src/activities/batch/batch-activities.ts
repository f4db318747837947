import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { nominalTickTime, tickKey } from '../../domain/campaign/tick-key';
import type { CompiledPlan } from '../../domain/compiler';
import { userKeysRead } from '../../domain/conditions/user-keys-read';
import { outsideScheduleWindow } from '../../domain/machine/entry';
import type { PlanStore } from '../../store/plan-store';
import { AudienceRepository } from '../../store/repositories/audience.repository';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import { enterInRounds, resumePoint } from './enter-in-rounds';

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
   * still refuse by cooldown, frequency or mode), or found entered at the tick's time by an earlier attempt.
   */
  entered: number;
  lastUserId: string | null;
  done: boolean;
  /** Why the tick stopped before the last profile: the campaign was paused, archived or moved to another version meanwhile. */
  stopped?: string;
}

/** Journeys started at once by one page; the rest wait their turn. */
const START_CONCURRENCY = 16;

/** Batch entry (entry.cron): count and page through stored profiles, entering those in the audience. */
export function createBatchActivities(deps: BatchActivityDeps) {
  const audience = new AudienceRepository(deps.dataSource);

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
      // The journey would refuse every user outside the schedule window (and one before it would wait idle): enter nobody.
      // When the tick was due: the schedule's nominal time (the same every week, where the run's start drifts), else `now`.
      const at = nominalTickTime(req.tickId, req.now);
      const outside = outsideScheduleWindow(plan.schedule, at);
      if (outside !== null) return { scanned: 0, entered: 0, lastUserId: req.afterUserId, done: true, stopped: outside };
      const rows = await audience.page(req.afterUserId, req.limit, new Date(at), plan.audience ? userKeysRead(plan.audience.normalized) : []);
      // The zone the journey judges the audience in again (schedule.timezone, as now() and monthDay do everywhere),
      // not entry.timezone, which only places the cron's ticks: a user picked here must not be refused there.
      const timezone = plan.schedule.timezone;
      // A retry goes on after the last user an earlier attempt heartbeated (resumePoint).
      const ctx = Context.current();
      const resumed = resumePoint(rows.map((r) => r.userId), ctx.info.heartbeatDetails);
      const matching = rows.slice(resumed.after + 1).filter(
        (r) =>
          !plan.audience ||
          plan.audience.evaluate({ event: null, user: r.attributes, journey: { enteredAt: null, stateEnteredAt: null, entries: 0 }, now: at, timezone, aggregate: () => null }),
      );
      // Users with no entry left are not signalled: each would start a journey run only to be refused. Users an earlier
      // attempt entered (past its checkpoint) are counted, not signalled: a journey that ended since would enter again.
      const prior = await audience.priorEntries(req.campaignKey, matching.map((r) => r.userId), plan.participation.maxEntries, new Date(at));
      // The local time the tick stands for: the two runs of one time in an hour a clock change repeats enter once,
      // also when the journey the first run entered ended before the second (a new run knows no tick it took).
      const key = tickKey(at, plan.entry.timezone);
      const atTick = entriesOfTick(prior.nearTick, at, key, plan.entry.timezone);
      const entering = matching.filter((r) => atTick.has(r.userId) || !prior.spent.has(r.userId)).map((r) => r.userId);
      const entered = await enterInRounds(
        entering,
        async (userId) => {
          if (atTick.has(userId)) return;
          await journeys.enterScheduled({ campaignKey: req.campaignKey, campaignVersion: version, userId, tickId: req.tickId, tickAt: at, tickKey: key }, ctx.cancellationSignal);
        },
        { enteredBefore: resumed.entered, heartbeat: (c) => ctx.heartbeat(c), signal: ctx.cancellationSignal },
        START_CONCURRENCY,
      );
      return { scanned: rows.length, entered, lastUserId: rows.at(-1)?.userId ?? req.afterUserId, done: rows.length < req.limit };
    },

    /** One page of an archived campaign's running journeys, each told it was archived; retrying a page is safe. */
    async tellArchivedJourneys(req: { campaignKey: string; pageToken: string | null; pageSize: number }): Promise<{ told: number; nextPageToken: string | null }> {
      const { journeys } = deps;
      if (!journeys) throw ApplicationFailure.create({ type: 'NotConfigured', message: 'this worker cannot reach journeys', nonRetryable: true });
      return journeys.tellArchivedPage(req.campaignKey, req.pageToken, req.pageSize);
    },
  };
}

/**
 * The users with an entry this tick's local time stands for: at the tick's
 * time, or at a time a whole number of minutes from it with the same local
 * minute (the other run of a time a clock change repeats). An entry by an
 * event lands on a whole minute only by chance of a millisecond.
 */
function entriesOfTick(nearTick: ReadonlyMap<string, readonly Date[]>, at: number, key: string, timeZone: string): Set<string> {
  const same = (entry: Date) => entry.getTime() === at || ((entry.getTime() - at) % 60_000 === 0 && tickKey(entry.getTime(), timeZone) === key);
  return new Set([...nearTick].filter(([, entries]) => entries.some(same)).map(([userId]) => userId));
}
