import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { tellingProfile, tellInPages, type TellingCarried } from './tell-journeys';

/** Versioned; `carried` is set by continue-as-new only. */
export interface ArchivedCampaignInput {
  version: 1;
  campaignKey: string;
  /** Journeys listed per page; small values make tests page. */
  pageSize?: number;
  carried?: TellingCarried;
}

/** One per campaign: archiving again while it runs joins it. */
export const archivedCampaignWorkflowId = (campaignKey: string): string => `campaign-archived:${campaignKey}`;

const telling = proxyActivities<Activities>(tellingProfile);

/**
 * Tells every running journey of an archived campaign that it was archived
 * (the `campaignArchived` signal), page by page through visibility, so that
 * each ends once no path runs. A workflow rather than a loop in the API: it
 * survives the API's restart and retries on its own, and unlike a Temporal
 * batch operation (one at a time per namespace by default) any number of
 * archives can run at once.
 */
export async function archivedCampaignWorkflow(input: ArchivedCampaignInput): Promise<{ told: number }> {
  return tellInPages(
    input.carried,
    (pageToken, page) =>
      telling.tellArchivedJourneys.executeWithOptions(
        { ...tellingProfile, summary: `journeys of ${input.campaignKey}, page ${page + 1}` },
        [{ campaignKey: input.campaignKey, pageToken, pageSize: input.pageSize ?? 500 }],
      ),
    (carried) => continueAsNew<typeof archivedCampaignWorkflow>({ ...input, carried }),
  );
}
