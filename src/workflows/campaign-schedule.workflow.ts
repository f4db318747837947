import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CampaignSchedulePayload } from './journey/contract';
import { tellingProfile, tellInPages, type TellingCarried } from './tell-journeys';

/** Versioned; `carried` is set by continue-as-new only. */
export interface CampaignScheduleInput {
  version: 1;
  campaignKey: string;
  /** What each running journey is told: the activated version's schedule end. */
  notice: CampaignSchedulePayload;
  /** Journeys listed per page; small values make tests page. */
  pageSize?: number;
  carried?: TellingCarried;
}

/** One per campaign: a later activation replaces one still telling. */
export const campaignScheduleWorkflowId = (campaignKey: string): string => `campaign-schedule:${campaignKey}`;

const telling = proxyActivities<Activities>(tellingProfile);

/**
 * Tells every running journey of a campaign the `schedule.endsAt` of the
 * version just activated (the `campaignSchedule` signal), when it differs
 * from the version's before: a journey idle on an older version then ends
 * by the campaign's schedule, not its own version's (patch
 * schedule-end-follows-activation). A workflow for the reasons
 * archivedCampaignWorkflow is one.
 */
export async function campaignScheduleWorkflow(input: CampaignScheduleInput): Promise<{ told: number }> {
  const { notice } = input;
  return tellInPages(
    input.carried,
    (pageToken, page) =>
      telling.tellScheduleJourneys.executeWithOptions(
        { ...tellingProfile, summary: `journeys of ${input.campaignKey}, page ${page + 1}` },
        [{ campaignKey: input.campaignKey, notice, pageToken, pageSize: input.pageSize ?? 500 }],
      ),
    (carried) => continueAsNew<typeof campaignScheduleWorkflow>({ ...input, carried }),
    (told) => `${told} journeys told v${notice.campaignVersion} ends ${notice.endsAt ?? 'never'}`,
  );
}
