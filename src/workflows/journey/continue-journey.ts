import { continueAsNew, makeContinueAsNewFunc, workflowInfo } from '@temporalio/workflow';
import type { PendingInput } from './carried';
import { campaignVersionSearchAttribute, type CarriedJourney, type JourneyWorkflow, type JourneyWorkflowInput, type SeenBefore } from './contract';

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
  const input = identityOf(from);
  if (movedTo === undefined) return continueAsNew<JourneyWorkflow>({ ...input, carried });
  const info = workflowInfo();
  const { campaignName: _previousName, ...memo } = info.memo ?? {};
  return makeContinueAsNewFunc<JourneyWorkflow>({
    memo: { ...memo, campaignVersion: movedTo },
    typedSearchAttributes: info.typedSearchAttributes.updateCopy([{ key: campaignVersionSearchAttribute, value: movedTo }]),
  })({ ...input, campaignVersion: movedTo, carried });
}

/**
 * The journey ended, and entries came while its run finished its effects:
 * the next run is the next journey and takes them first (patch entries-after-end).
 */
export async function beginNextJourney(from: JourneyWorkflowInput, arrivedAfterEnd: PendingInput[], seenBefore?: SeenBefore): Promise<never> {
  return continueAsNew<JourneyWorkflow>(nextJourneyInput(from, arrivedAfterEnd, seenBefore));
}

/**
 * The next journey's input: the entries the ended one kept for it and, under patch seen-events-outlive-run,
 * the ids the ended one took or saw cancelled (seenByEndedJourney), which the next one starts with.
 */
export function nextJourneyInput(from: JourneyWorkflowInput, arrivedAfterEnd: PendingInput[], seenBefore?: SeenBefore): JourneyWorkflowInput {
  const passOn = seenBefore !== undefined && (seenBefore.seenEventIds.length > 0 || seenBefore.cancelledEventIds.length > 0);
  return { ...identityOf(from), arrivedAfterEnd, ...(passOn ? { seenBefore } : {}) };
}

/** Which journey a run belongs to; what this run began with (entries kept by an ended journey) is in `carried` now, or handled: not passed on twice. */
function identityOf(from: JourneyWorkflowInput): JourneyWorkflowInput {
  return { version: 1, campaignKey: from.campaignKey, campaignVersion: from.campaignVersion, userId: from.userId };
}
