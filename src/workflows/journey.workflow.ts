import { ApplicationFailure, log, patched, setDefaultSignalHandler, setHandler, upsertMemo, workflowInfo } from '@temporalio/workflow';
// Not the compiler's index: it re-exports compileCampaign, which bundles zod into every journey.
import { compileStoredCampaign } from '../domain/compiler/compile';
import { entryCandidates, initialJourneyState, LIMITS, preview, scheduleToLearn, seenByEndedJourney, seededSeenIds, seenIdsTakenBefore, storedProfile } from '../domain/machine';
import { previewTime } from '../domain/machine/preview';
import { buildView } from './journey/build-view';
import type { PendingInput } from './journey/carried';
import {
  previewQuery,
  retryActionUpdate,
  skipActionUpdate,
  stateQuery,
  type JourneyOutcome,
  type JourneyWorkflowInput,
} from './journey/contract';
import { lookups, lookupsProfile } from './journey/activity-profiles';
import { beginNextJourney, continueJourney } from './journey/continue-journey';
import { PATCHES } from './journey/patches';
import { JourneyShell } from './journey/shell';
import { toPendingInputs } from './journey/signal-inputs';

/**
 * One user's participation in one campaign: loads its pinned plan, then lets
 * the shell feed `step` until the journey ends or hands over to a new run.
 */
export async function journeyWorkflow(input: JourneyWorkflowInput): Promise<JourneyOutcome> {
  const { workflowId } = workflowInfo();
  // The shell takes this very array as its inbox. One default handler, not one
  // per signal: the SDK replays signals that arrived before a handler existed
  // handler by handler, which would move a cancel behind later events.
  // A run that begins the journey after an ended one takes the entries that one kept first.
  const inbox: PendingInput[] = [...(input.arrivedAfterEnd ?? []), ...(input.carried?.inbox ?? [])];
  setDefaultSignalHandler((name, ...args) => {
    for (const pending of toPendingInputs(name, args[0])) {
      // A worker from before archive-ends-journeys dropped `campaignArchived` as unknown, and one from before
      // schedule-end-follows-activation `campaignSchedule`: replaying such a history drops it again.
      if (
        !pending ||
        (pending.input.kind === 'campaignArchived' && !patched(PATCHES.archiveEndsJourneys)) ||
        (pending.input.kind === 'scheduleChanged' && !patched(PATCHES.scheduleEndFollowsActivation))
      ) {
        log.warn('ignored an unknown or malformed signal', { signal: name });
        continue;
      }
      // Only logged (no command, nothing kept): one event can be followed from its HTTP request into the journey.
      if (pending.input.kind === 'event' && pending.requestId) log.debug('event received', { eventId: pending.input.event.id, requestId: pending.requestId });
      inbox.push(pending.input);
    }
  });

  // A journey that starts on this code records one patch marker, which stands
  // for every earlier patch: each marker also costs a TemporalChangeVersion
  // upsert (SDK core), so five markers were ten history events and five
  // visibility writes per journey. Journeys from before lack it and ask for
  // the earlier patches one by one, as they did; all of this runs in the first
  // activation, which any existing journey replays.
  // `local-rewards` in turn stands for one-patch-marker and everything it implies:
  // a journey that starts on this code records that one marker; journeys
  // from before ask for one-patch-marker (and, lacking it, the five) as they did.
  // `deferred-events-budget` stands for local-rewards the same way, and so on down;
  // `entry-follows-activation` stands for entries-after-end (released with it) and deferred-events-budget.
  // `cancel-stops-effects` stands for entry-follows-activation and everything before it,
  // `cancel-releases-held-rewards` for cancel-stops-effects, `held-events-and-split-arms` for cancel-releases-held-rewards,
  // `already-holding-is-no-reward` for held-events-and-split-arms, `rounded-amounts` for already-holding-is-no-reward,
  // `entry-window-by-receipt` for rounded-amounts, `bounded-journey-state` for skip-voids-held-reward,
  // `scheduled-entry-at-tick` for bounded-journey-state, `scheduled-cooldown-local-days` for scheduled-entry-at-tick,
  // `entry-row-at-tick` for scheduled-cooldown-local-days, `routed-entries-held-events` for entry-row-at-tick,
  // `unsettled-rewards-kept` for routed-entries-held-events, `ended-paths-hold-nothing` for unsettled-rewards-kept,
  // `carried-work-bounded` for ended-paths-hold-nothing, `delivery-inputs-per-task` for carried-work-bounded
  // (the effect runner asks for that one again where a delivery would wait for a later task, unless the journey
  // knows it is on: see DeliveryBudget), `seen-events-outlive-run` for delivery-inputs-per-task,
  // `entry-times-by-receipt` (released with it) for seen-events-outlive-run, `exact-held-and-folded` for entry-times-by-receipt,
  // `journey-weighed-whole` for exact-held-and-folded, `schedule-end-held-apart` for journey-weighed-whole.
  const scheduleEndHeldApart = patched(PATCHES.scheduleEndHeldApart);
  const journeyWeighed = scheduleEndHeldApart || patched(PATCHES.journeyWeighed);
  const exactHeldAndFolded = journeyWeighed || patched(PATCHES.exactHeldAndFolded);
  const entryTimesByReceipt = exactHeldAndFolded || patched(PATCHES.entryTimesByReceipt);
  const seenEventsOutliveRun = entryTimesByReceipt || patched(PATCHES.seenEventsOutliveRun);
  const deliveryInputsPerTask = seenEventsOutliveRun || patched(PATCHES.deliveryInputsPerTask);
  const carriedWorkBounded = deliveryInputsPerTask || patched(PATCHES.carriedWorkBounded);
  const endedPathsHoldNothing = carriedWorkBounded || patched(PATCHES.endedPathsHoldNothing);
  const unsettledRewardsKept = endedPathsHoldNothing || patched(PATCHES.unsettledRewardsKept);
  const routedEntriesHeldEvents = unsettledRewardsKept || patched(PATCHES.routedEntriesHeldEvents);
  const entryRowAtTick = routedEntriesHeldEvents || patched(PATCHES.entryRowAtTick);
  const tickCalendarDays = entryRowAtTick || patched(PATCHES.scheduledCooldownLocalDays);
  const entryAtTick = tickCalendarDays || patched(PATCHES.scheduledEntryAtTick);
  const boundedState = entryAtTick || patched(PATCHES.boundedJourneyState);
  const skipVoidsHeldReward = boundedState || patched(PATCHES.skipVoidsHeldReward);
  const quietHoursEveryAttempt = skipVoidsHeldReward || patched(PATCHES.quietHoursEveryAttempt);
  const keptEntriesChecked = quietHoursEveryAttempt || patched(PATCHES.keptEntriesChecked);
  const entryWindowByReceipt = keptEntriesChecked || patched(PATCHES.entryWindowByReceipt);
  const roundedAmounts = entryWindowByReceipt || patched(PATCHES.roundedAmounts);
  const alreadyHoldingIsNoReward = roundedAmounts || patched(PATCHES.alreadyHoldingIsNoReward);
  const heldEventsAndSplitArms = alreadyHoldingIsNoReward || patched(PATCHES.heldEventsAndSplitArms);
  const cancelReleasesHeld = heldEventsAndSplitArms || patched(PATCHES.cancelReleasesHeldRewards);
  const cancelStopsEffects = cancelReleasesHeld || patched(PATCHES.cancelStopsEffects);
  const entryFollowsActivation = cancelStopsEffects || patched(PATCHES.entryFollowsActivation);
  const entriesAfterEnd = entryFollowsActivation || patched(PATCHES.entriesAfterEnd);
  const deferredBudget = entriesAfterEnd || patched(PATCHES.deferredEventsBudget);
  const localRewards = deferredBudget || patched(PATCHES.localRewards);
  const current = localRewards || patched(PATCHES.onePatchMarker);
  // Fewer history events and tasks per journey; journeys from before replay as they ran (see ShellFeatures).
  const leanHistory = current || patched(PATCHES.leanJourneyHistory);
  // Every patch is asked for before the first await: a local activity that
  // outlasts its workflow task (PostgreSQL away at the start) pushed a later
  // patch marker into the next task, and such a history failed to replay.
  // Journeys from before lean-journey-history ask for this one after the load, as they did.
  const deferEarly = current || (leanHistory ? patched(PATCHES.deferEventsDuringActions) : undefined);
  // Issue 11. Journeys from before these keep what they did: their reward keys
  // (a ledger row per key), the event-user override they carried, the reclaim bookkeeping.
  const encodedKeys = current || patched(PATCHES.encodedRewardKeys);
  const userOverrideOnce = current || patched(PATCHES.eventUserOverrideOnce);
  const distinctEffects = current || patched(PATCHES.distinctReclaimEffects);
  // Unique per execution (a journey restarted after it completed must not reuse its keys) and stable across its runs.
  // A journey begun by a continued run (entries after an ended one) keys its log by that run, so the ended
  // journey's entries are not taken for its own and still count towards maxEntries.
  const logKeyPrefix =
    input.carried?.logKeyPrefix ??
    (input.arrivedAfterEnd ? `${workflowId}:${workflowInfo().runId}:` : leanHistory ? `${workflowId}:${workflowInfo().firstExecutionRunId}:` : `${workflowId}:`);
  // A journey that begins (no carried state) asks which of the entries its start came with an earlier execution took:
  // a start delivery sent again after the journey closed must not enter again (patch seen-events-outlive-run).
  const candidates = seenEventsOutliveRun && !input.carried ? entryCandidates(inbox) : [];
  const start = await lookups.loadJourneyStart.executeWithOptions(
    { ...lookupsProfile, summary: `plan of ${input.campaignKey} v${input.campaignVersion}${leanHistory && !input.carried ? ', profile and prior entries' : ''}` },
    [
      {
        campaignKey: input.campaignKey,
        version: input.campaignVersion,
        userId: input.userId,
        keepEntryTimes: LIMITS.entryTimes,
        ...(leanHistory && !input.carried ? { withProfile: true, ownLogKeyPrefix: logKeyPrefix } : {}),
        ...(candidates.length > 0 ? { entryCauses: candidates.map((c) => c.cause) } : {}),
      },
    ],
  );
  const compiled = compileStoredCampaign(start.definition, { version: input.campaignVersion });
  if (!compiled.ok) {
    throw ApplicationFailure.create({
      type: 'PlanDoesNotCompile',
      message: `campaign ${input.campaignKey} v${input.campaignVersion} does not compile: ${compiled.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      nonRetryable: true,
    });
  }
  const plan = compiled.value;
  // Absent from every start recorded before the patch: those journeys replay with nothing seen, as they ran.
  const takenBefore = input.carried ? [] : seenIdsTakenBefore(candidates, start.takenBefore ?? []);
  const state =
    input.carried?.state ??
    {
      ...initialJourneyState(plan, { campaignKey: input.campaignKey, userId: input.userId, seed: workflowId }),
      entries: start.prior.count,
      entryTimes: start.prior.times,
      // A journey its ended one began (seen-events-outlive-run) also knows what that one took or saw cancelled:
      // a resend of such an event that reaches this run after its start must not enter again.
      seenEventIds: seededSeenIds(input.seenBefore?.seenEventIds ?? [], takenBefore),
      cancelledEventIds: (input.seenBefore?.cancelledEventIds ?? []).slice(-LIMITS.cancelledEventIds),
    };
  if (takenBefore.length > 0) {
    log.info('entries an earlier execution of this journey took are ignored', { ids: takenBefore.slice(0, 10), count: takenBefore.length });
  }
  // A run that starts after its campaign was archived (a delivery accepted before, a continue-as-new)
  // learns it here: the signal went to the journeys running at the time. After what came with the start.
  if (start.campaignArchived && !state.campaignArchived) inbox.push({ version: 1, kind: 'campaignArchived' });
  // Likewise a run on another version than the active one (begun from a backlog, continued as new while the telling
  // went by) learns the active version's schedule end (schedule-end-follows-activation). Absent from older starts.
  const learned = start.activeSchedule ? scheduleToLearn(plan, state, scheduleOf(start.activeSchedule)) : null;
  if (learned) inbox.push({ version: 1, ...learned });
  const journey = new JourneyShell(
    { workflowId, logKeyPrefix, campaignKey: input.campaignKey, campaignVersion: input.campaignVersion, userId: input.userId },
    plan,
    state,
    inbox,
    { deferEventsDuringActions: deferEarly ?? patched(PATCHES.deferEventsDuringActions), leanHistory, encodedKeys, userOverrideOnce, distinctEffects, localRewards, deferredBudget, entriesAfterEnd, entryFollowsActivation, cancelStopsEffects, cancelReleasesHeld, heldEventsAndSplitArms, alreadyHoldingIsNoReward, roundedAmounts, entryWindowByReceipt, keptEntriesChecked, quietHoursEveryAttempt, skipVoidsHeldReward, boundedState, entryAtTick, tickCalendarDays, entryRowAtTick, routedEntriesHeldEvents, unsettledRewardsKept, endedPathsHoldNothing, carriedWorkBounded, deliveryInputsPerTask, entryTimesByReceipt, exactHeldAndFolded, journeyWeighed, scheduleEndHeldApart },
    input.carried,
    start.profile,
  );
  // The gateway puts the name in the start memo when it has it at hand; a
  // memo that already says it is not written again. Deterministic without a
  // patch: the start event carries the memo, and older journeys lack the name.
  const memo = workflowInfo().memo;
  // A run an idle journey moved to another version in (entry-follows-activation) writes the name of its plan.
  if ((!input.carried || entryFollowsActivation) && (memo?.campaignName !== plan.name || memo?.campaignVersion !== plan.version)) {
    upsertMemo({ campaignName: plan.name, campaignVersion: plan.version });
  }

  setHandler(retryActionUpdate, (req) => journey.decide(req, 'retry'), { validator: (req) => void journey.findHeld(req) });
  setHandler(skipActionUpdate, (req) => journey.decide(req, 'skip'), { validator: (req) => void journey.findHeld(req) });
  setHandler(stateQuery, () => buildView(journey));
  // A query leaves no trace in the history: the stored profile, the one the event would merge into, for every journey.
  // With the step options the journey runs on: a journey from before a patch previews as it runs (a signal delivery
  // entering before routed-entries-held-events, an unrounded amount before rounded-amounts, and so on). A query asks
  // no patch: its computed numbers read as decimals, as any new decision of the journey's would.
  // `at`: the caller's clock; a query's Date.now() is the time of the journey's last workflow task (previewTime).
  // An ended journey still finishing its effects previews an entry as the next journey it would begin.
  setHandler(previewQuery, (event, at) =>
    preview(plan, journey.state, event, {
      userId: input.userId,
      user: storedProfile(journey.state),
      now: previewTime(at, Date.now()),
      stepOptions: { ...journey.stepOptions, decimals: undefined, heldInOrder: undefined },
      ...(entriesAfterEnd ? { afterEnd: { refuseTaken: keptEntriesChecked } } : {}),
    }),
  );

  const carried = await journey.runUntilDone();
  if (carried) await continueJourney(input, carried, journey.movedTo);
  const next = journey.arrivedAfterEnd;
  if (next.length > 0) {
    log.info('the journey ended; entries that came meanwhile begin the next one', { entries: next.length });
    // Under seen-events-outlive-run the next journey learns what this one took or saw cancelled (less what it kept for
    // that one); a run started on older code passes nothing on, as it did.
    await beginNextJourney(input, next, seenEventsOutliveRun ? seenByEndedJourney(journey.state, next) : undefined);
  }
  return { status: journey.state.status, endReason: journey.state.endReason, entries: journey.state.entries };
}

/** The active schedule a start lookup read, as epoch ms (its instants are ISO 8601 the repository wrote). */
function scheduleOf(active: { campaignVersion: number; endsAt: string | null; activatedAt: string }): { campaignVersion: number; endsAt: number | null; activatedAt: number } {
  return { campaignVersion: active.campaignVersion, endsAt: active.endsAt === null ? null : Date.parse(active.endsAt), activatedAt: Date.parse(active.activatedAt) };
}
