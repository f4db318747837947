import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { tellingProfile, tellInPages, type TellingCarried } from './tell-journeys';

/** Versioned; `carried` is set by continue-as-new only. */
export interface CampaignScheduleInput {
  version: 1;
  campaignKey: string;
  /** Journeys listed per page; small values make tests page. */
  pageSize?: number;
  carried?: TellingCarried;
}

/** One per campaign: a later activation replaces one still telling (each page tells what PostgreSQL has then). */
export const campaignScheduleWorkflowId = (campaignKey: string): string => `campaign-schedule:${campaignKey}`;

const telling = proxyActivities<Activities>(tellingProfile);

/**
 * Tells every running journey of a campaign the `schedule.endsAt` of its
 * active version (the `campaignSchedule` signal) after an activation that
 * moved it: a journey idle on an older version then ends by the campaign's
 * schedule, not its own version's (patch schedule-end-follows-activation).
 * Each page reads the active version from PostgreSQL as it tells. A
 * workflow for the reasons archivedCampaignWorkflow is one.
 */
export async function campaignScheduleWorkflow(input: CampaignScheduleInput): Promise<{ told: number }> {
  return tellInPages(
    input.carried,
    (pageToken, page) =>
      telling.tellScheduleJourneys.executeWithOptions(
        { ...tellingProfile, summary: `journeys of ${input.campaignKey}, page ${page + 1}` },
        [{ campaignKey: input.campaignKey, pageToken, pageSize: input.pageSize ?? 500 }],
      ),
    (carried) => continueAsNew<typeof campaignScheduleWorkflow>({ ...input, carried }),
  );
}
