import { ApplicationFailure, continueAsNew, setHandler, upsertMemo, workflowInfo } from '@temporalio/workflow';
import { compileCampaign } from '../domain/compiler';
import { initialJourneyState, LIMITS, preview } from '../domain/machine';
import { buildView } from './journey/build-view';
import type { CarriedJourney } from './journey/carried';
import {
  cancelEventSignal,
  eventSignal,
  exitSignal,
  previewQuery,
  retryActionUpdate,
  skipActionUpdate,
  stateQuery,
} from './journey/definitions';
import { lookups } from './journey/activity-profiles';
import { JourneyShell } from './journey/shell';

export * from './journey/definitions';
export type { JourneyView, HeldActionView } from './journey/view';
export type { CarriedJourney } from './journey/carried';

/** Versioned: a running journey keeps understanding the input it was started with. */
export interface JourneyWorkflowInput {
  version: 1;
  campaignKey: string;
  /** The plan version this journey runs to its end (DESIGN.md decision 3). */
  campaignVersion: number;
  userId: string;
  /** Set by continue-as-new only. */
  carried?: CarriedJourney;
}

export interface JourneyOutcome {
  status: string;
  endReason: string | null;
  entries: number;
}

export const journeyWorkflowId = (campaignKey: string, userId: string): string => `journey:${campaignKey}:${userId}`;

/**
 * One user's participation in one campaign: loads its pinned plan, then lets
 * the shell feed `step` until the journey ends or hands over to a new run.
 */
export async function journeyWorkflow(input: JourneyWorkflowInput): Promise<JourneyOutcome> {
  const { workflowId } = workflowInfo();
  const start = await lookups.loadJourneyStart({
    campaignKey: input.campaignKey,
    version: input.campaignVersion,
    userId: input.userId,
    keepEntryTimes: LIMITS.entryTimes,
  });
  const compiled = compileCampaign(start.definition, { version: input.campaignVersion });
  if (!compiled.ok) {
    throw ApplicationFailure.create({
      type: 'PlanDoesNotCompile',
      message: `campaign ${input.campaignKey} v${input.campaignVersion} does not compile: ${compiled.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      nonRetryable: true,
    });
  }
  const plan = compiled.value;
  const state =
    input.carried?.state ??
    {
      ...initialJourneyState(plan, { campaignKey: input.campaignKey, userId: input.userId, seed: workflowId }),
      entries: start.prior.count,
      entryTimes: start.prior.times,
    };
  const shell = new JourneyShell({ workflowId, campaignKey: input.campaignKey, campaignVersion: input.campaignVersion, userId: input.userId }, plan, state, input.carried);
  if (!input.carried) upsertMemo({ campaignName: plan.name, campaignVersion: plan.version });

  setHandler(eventSignal, (event) => shell.enqueue({ version: 1, kind: 'event', event, user: {} }));
  setHandler(cancelEventSignal, (c) => shell.enqueue({ version: 1, kind: 'cancelEvent', eventId: c.eventId, reason: c.reason }));
  setHandler(exitSignal, (x) => shell.enqueue({ version: 1, kind: 'exit', reason: x.reason }));
  setHandler(retryActionUpdate, (req) => shell.decide(req, 'retry'), { validator: (req) => void shell.findHeld(req) });
  setHandler(skipActionUpdate, (req) => shell.decide(req, 'skip'), { validator: (req) => void shell.findHeld(req) });
  setHandler(stateQuery, () => buildView(shell));
  setHandler(previewQuery, (event) => preview(plan, shell.state, event, { userId: input.userId, user: shell.state.user, now: Date.now() }));

  const carried = await shell.runUntilDone();
  if (carried) await continueAsNew<typeof journeyWorkflow>({ ...input, carried });
  return { status: shell.state.status, endReason: shell.state.endReason, entries: shell.state.entries };
}
