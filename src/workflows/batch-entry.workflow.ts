import { type ActivityOptions, continueAsNew, defineQuery, proxyActivities, setHandler, upsertMemo, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';

export interface BatchProgress {
  done: number;
  total: number;
  entered: number;
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
  carried?: { tickId: string; tickAt: number; afterUserId: string | null; progress: BatchProgress };
}

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
  if (!input.carried) progress.total = await counting.countProfiles({ tickId, now: tickAt });
  let afterUserId = input.carried?.afterUserId ?? null;
  const pageSize = input.pageSize ?? 200;

  for (let page = 0; ; page++) {
    if (page >= PAGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof batchEntryWorkflow>({ ...input, carried: { tickId, tickAt, afterUserId, progress } });
    }
    const result = await paging.enterAudiencePage.executeWithOptions(
      { ...pagingProfile, summary: `profiles after ${afterUserId ?? 'the start'}` },
      [{ campaignKey: input.campaignKey, version: input.campaignVersion, tickId, afterUserId, limit: pageSize, now: tickAt }],
    );
    progress.done += result.scanned;
    progress.entered += result.entered;
    progress.total = Math.max(progress.total, progress.done);
    afterUserId = result.lastUserId;
    if (result.stopped !== undefined) progress.stopped = result.stopped;
    upsertMemo({ progress: `${progress.done}/${progress.total} profiles, ${progress.entered} entered${progress.stopped ? `; stopped: ${progress.stopped}` : ''}` });
    if (result.done) return progress;
  }
}
