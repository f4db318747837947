import { continueAsNew, makeContinueAsNewFunc, workflowInfo } from '@temporalio/workflow';
import { campaignVersionSearchAttribute, type CarriedJourney, type JourneyWorkflow, type JourneyWorkflowInput } from './contract';

/**
 * Hands the journey over to its next run. Usually on the same version, the
 * memo and search attributes carried as they are. When an idle journey moves
 * to the version its next entry was routed to (`movedTo`, patch
 * entry-follows-activation), the next run loads that version's plan, and the
 * CampaignVersion attribute and the memo say so: the API's running counts by
 * version, the preview and the user's journeys read them. The memo goes
 * without the campaign's name, which the next run writes from its own plan.
 */
export async function continueJourney(from: JourneyWorkflowInput, carried: CarriedJourney, movedTo: number | undefined): Promise<never> {
  // What this run began with (entries kept by an ended journey) is in `carried` now, or handled: not passed on twice.
  const input: JourneyWorkflowInput = { version: 1, campaignKey: from.campaignKey, campaignVersion: from.campaignVersion, userId: from.userId };
  if (movedTo === undefined) return continueAsNew<JourneyWorkflow>({ ...input, carried });
  const info = workflowInfo();
  const { campaignName: _previousName, ...memo } = info.memo ?? {};
  return makeContinueAsNewFunc<JourneyWorkflow>({
    memo: { ...memo, campaignVersion: movedTo },
    typedSearchAttributes: info.typedSearchAttributes.updateCopy([{ key: campaignVersionSearchAttribute, value: movedTo }]),
  })({ ...input, campaignVersion: movedTo, carried });
}
