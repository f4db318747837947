import { type ActivityOptions, continueAsNew, proxyActivities, sleep, upsertMemo, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';

/** Versioned; `carried` is set by continue-as-new only. */
export interface ArchivedCampaignInput {
  version: 1;
  campaignKey: string;
  /** Journeys listed per page; small values make tests page. */
  pageSize?: number;
  carried?: { pageToken: string; told: number };
}

/** One per campaign: archiving again while it runs joins it. */
export const archivedCampaignWorkflowId = (campaignKey: string): string => `campaign-archived:${campaignKey}`;

/** A page lists journeys and signals each: generous timeout, retried (the signal is idempotent). */
const tellingProfile: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
};
const telling = proxyActivities<Activities>(tellingProfile);

const PAGES_PER_RUN = 50;
/** Visibility trails a start by about a second: a journey that started just before the archive is listed after this. */
const VISIBILITY_LAG = '3 seconds';

/**
 * Tells every running journey of an archived campaign that it was archived
 * (the `campaignArchived` signal), page by page through visibility, so that
 * each ends once no path runs. A workflow rather than a loop in the API: it
 * survives the API's restart and retries on its own, and unlike a Temporal
 * batch operation (one at a time per namespace by default) any number of
 * archives can run at once.
 */
export async function archivedCampaignWorkflow(input: ArchivedCampaignInput): Promise<{ told: number }> {
  let told = input.carried?.told ?? 0;
  let pageToken: string | null = input.carried?.pageToken ?? null;
  if (!input.carried) await sleep(VISIBILITY_LAG);
  for (let page = 0; ; page++) {
    if (pageToken !== null && (page >= PAGES_PER_RUN || workflowInfo().continueAsNewSuggested)) {
      await continueAsNew<typeof archivedCampaignWorkflow>({ ...input, carried: { pageToken, told } });
    }
    const result = await telling.tellArchivedJourneys.executeWithOptions(
      { ...tellingProfile, summary: `journeys of ${input.campaignKey}, page ${page + 1}` },
      [{ campaignKey: input.campaignKey, pageToken, pageSize: input.pageSize ?? 500 }],
    );
    told += result.told;
    upsertMemo({ progress: `${told} journeys told` });
    if (result.nextPageToken === null) return { told };
    pageToken = result.nextPageToken;
  }
}
