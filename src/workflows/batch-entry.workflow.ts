import { ActivityFailure, type ActivityOptions, ApplicationFailure, continueAsNew, defineQuery, patched, proxyActivities, setHandler, TimeoutFailure, upsertMemo, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';

export interface BatchProgress {
  done: number;
  total: number;
  entered: number;
  /** Users of the audience the tick gave up entering (each named with why in its page's result); absent when none. */
  failed?: number;
  /** Why the tick stopped before the last profile (paused, archived, another version active). */
  stopped?: string;
}

/** Versioned; `carried` is set by continue-as-new only. */
export interface BatchEntryInput {
  version: 1;
  campaignKey: string;
  campaignVersion: number;
  /** Page size; small values make tests page. */
  pageSize?: number;
  /** How long a page (and the count) is retried before the tick gives up; default GIVE_UP_AFTER. Short values make tests give up. */
  giveUpAfter?: Duration;
  carried?: { tickId: string; tickAt: number; afterUserId: string | null; progress: BatchProgress };
}

/** A timeout as the SDK takes it: `'3 seconds'`, `'1 day'`, or milliseconds. */
type Duration = NonNullable<ActivityOptions['scheduleToCloseTimeout']>;

export const batchProgressQuery = defineQuery<BatchProgress>('progress');

export const batchScheduleId = (campaignKey: string): string => `batch-entry:${campaignKey}`;

/**
 * A page scans many profiles and starts journeys: generous timeout, retried (entry is idempotent per tick). It
 * heartbeats after each round of starts, so a worker gone mid-page is noticed in a minute, and a retry goes on
 * from the last round heartbeated: every attempt moves the page on, however slow Temporal is.
 */
const pagingProfile: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
};
const paging = proxyActivities<Activities>(pagingProfile);

/** The progress count: exact within seconds, else PostgreSQL's estimate (it does not heartbeat). */
const countingProfile: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
};
const counting = proxyActivities<Activities>(countingProfile);

const PAGES_PER_RUN = 20;

/**
 * A page still failing after this long (a row its audience cannot judge, a database gone for a day) ends the tick
 * as failed, saying why. Retried for ever, it would run on unseen while the Schedule's SKIP overlap drops every
 * later tick; a day outlasts an outage worth riding out, and a tick that made no page in a day enters late anyway.
 */
const GIVE_UP_AFTER: Duration = '1 day';

/** The activity's outcome; one that failed past `giveUpAfter` fails the tick with the reason, in the memo too. */
async function untilGivenUp<T>(call: Promise<T>, what: string, giveUpAfter: Duration, progress: BatchProgress): Promise<T> {
  try {
    return await call;
  } catch (err) {
    // Out of time: Temporal fails the activity with its last attempt's failure when the next retry would start past
    // the deadline, or with a timeout when the deadline falls within an attempt.
    if (!(err instanceof ActivityFailure) || err.retryState !== 'TIMEOUT') throw err;
    const cause = err.cause;
    const last = cause instanceof TimeoutFailure ? (cause.cause?.message ?? `timed out (${cause.timeoutType})`) : (cause?.message ?? err.message);
    progress.stopped = `gave up: ${what} still failed after ${String(giveUpAfter)} (last failure: ${last}); the next tick runs as scheduled`;
    upsertMemo({ progress: progressLine(progress) });
    throw ApplicationFailure.create({ type: 'BatchTickGaveUp', message: progress.stopped, nonRetryable: true, cause });
  }
}

const progressLine = (p: BatchProgress): string =>
  `${p.done}/${p.total} profiles, ${p.entered} entered${p.failed ? `, ${p.failed} given up on` : ''}${p.stopped ? `; stopped: ${p.stopped}` : ''}`;

/**
 * Ticks that began before it kept users given up on out of their progress and memo: the memo an older tick wrote
 * is in its history, so it keeps its words on replay.
 */
const FAILED_IN_PROGRESS = 'batch-failed-in-progress';

/**
 * One tick of an entry.cron campaign: pages through stored profiles and enters
 * those in the audience, continuing as new between batches of pages so any
 * number of profiles fits. Progress is a query and the memo (seen in the UI).
 */
export async function batchEntryWorkflow(input: BatchEntryInput): Promise<BatchProgress> {
  const tickId = input.carried?.tickId ?? workflowInfo().workflowId;
  const tickAt = input.carried?.tickAt ?? Date.now();
  const progress: BatchProgress = input.carried?.progress ?? { done: 0, total: 0, entered: 0 };
  // Answered from the start: the count may take seconds.
  setHandler(batchProgressQuery, () => progress);
  const giveUpAfter = input.giveUpAfter ?? GIVE_UP_AFTER;
  if (!input.carried) {
    const count = counting.countProfiles.executeWithOptions({ ...countingProfile, scheduleToCloseTimeout: giveUpAfter }, [{ tickId, now: tickAt }]);
    progress.total = await untilGivenUp(count, 'counting the profiles', giveUpAfter, progress);
  }
  let afterUserId = input.carried?.afterUserId ?? null;
  const pageSize = input.pageSize ?? 200;

  for (let page = 0; ; page++) {
    if (page >= PAGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof batchEntryWorkflow>({ ...input, carried: { tickId, tickAt, afterUserId, progress } });
    }
    const pageCall = paging.enterAudiencePage.executeWithOptions(
      { ...pagingProfile, scheduleToCloseTimeout: giveUpAfter, summary: `profiles after ${afterUserId ?? 'the start'}` },
      [{ campaignKey: input.campaignKey, version: input.campaignVersion, tickId, afterUserId, limit: pageSize, now: tickAt }],
    );
    const result = await untilGivenUp(pageCall, `the page after ${afterUserId ?? 'the start'}`, giveUpAfter, progress);
    progress.done += result.scanned;
    progress.entered += result.entered;
    if (result.failed?.length && patched(FAILED_IN_PROGRESS)) progress.failed = (progress.failed ?? 0) + result.failed.length;
    progress.total = Math.max(progress.total, progress.done);
    afterUserId = result.lastUserId;
    if (result.stopped !== undefined) progress.stopped = result.stopped;
    upsertMemo({ progress: progressLine(progress) });
    if (result.done) return progress;
  }
}
