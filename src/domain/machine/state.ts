/**
 * The journey state: everything one (campaign, user) workflow remembers. It is
 * plain JSON because it crosses Temporal's continue-as-new and is returned by
 * the `state` query; it carries `version` so a later shape can be migrated.
 * Lists that grow with time (seen event ids, trace, rewards) are bounded.
 */
import type { EventFacts } from '../conditions';
import { MAX_TRANSITIONS_PER_INPUT } from '../compiler/plan';
import type { TraceEntry } from './trace';
import { endStateReason } from './end-reason';
import { jsonBytes } from '../json-size';

export const LIMITS = {
  /** Recently seen event ids kept to drop duplicates (DESIGN.md decision 4). */
  seenEventIds: 1000,
  cancelledEventIds: 500,
  traceEntries: 50,
  /** Entry times kept for cooldown and frequency checks. */
  entryTimes: 100,
  finishedPaths: 20,
  rewards: 500,
  /** Events held for `on` transitions while actions run, per path. */
  deferredEvents: 20,
  /**
   * And what they may weigh as JSON, per path (patch deferred-events-budget):
   * 20 events of 256 KiB made a state Temporal could not carry, and the
   * journey failed every workflow task after.
   */
  deferredBytes: 512 * 1024,
  /** Per aggregate and state visit; older contributions are folded into one summary (and can no longer be cancelled). */
  contributions: 200,
  /**
   * What follows is patch bounded-journey-state: a journey's state travels in
   * every continue-as-new and must stay well under Temporal's 2 MB payload.
   * The events a path's rewards record as their causes (CAMPAIGNS.md: the
   * newest 199); a condition over several aggregates gathered 200 from each.
   */
  causedBy: 199,
  /** Paths one journey runs at once when the campaign sets no lower maxActive (parallel mode). */
  activePaths: 100,
  /** A parallel journey whose state weighs more than this admits no new path until one ends. */
  entryStateBytes: 1024 * 1024,
  /** Reward records kept in the state, by weight: the oldest settled ones go first (the ledger keeps them all). */
  rewardBytes: 512 * 1024,
  /** A message's evaluated data: it travels in the send activity's input (a step over it fails, saying why). */
  messageDataBytes: 256 * 1024,
  /** Transitions one input may cause on one path (on all paths together before patch routed-entries-held-events), a guard against `when` ping-pong between states. */
  transitionsPerStep: MAX_TRANSITIONS_PER_INPUT,
} as const;

export type StepStatus = 'running' | 'succeeded' | 'failed' | 'skipped' | 'exhausted' | 'notEligible';

/** One event's share of one aggregate, kept so that cancelling the event can take it out. */
export interface Contribution {
  eventId: string;
  value: unknown;
}

export interface TimerRecord {
  timerId: string;
  /** Index of the `after`/`at` transition in the state. */
  transition: number;
  fireAt: string;
  /** Fired while the state's actions were still running; taken into account when they finish. */
  due: boolean;
  /**
   * How many events were held when it fell due during the actions: at settle
   * it fires after those and before the rest, in the order they came
   * (routedEntriesHeldEvents; absent before it, and then it comes first).
   */
  heldBefore?: number;
}

/** One participation: an entry into the campaign, moving from state to state. */
export interface PathState {
  pathId: string;
  /** 1 for the user's first entry into this campaign, 2 for the second... */
  entryNo: number;
  state: string;
  enteredAt: string;
  stateEnteredAt: string;
  /** How often this path entered each state; the current visit is part of idempotency keys. */
  visits: Record<string, number>;
  /** The event that fired the transition into this state: `event` for its actions and branches. */
  trigger: EventFacts | null;
  /** Event ids that helped fire the transition into this state: rewards issued here record them. */
  causedBy: string[];
  /** Aggregate values when the transition into this state fired: what its actions and branches read. */
  snapshot: Record<string, unknown>;
  /**
   * Per aggregate key an immediate branch here (or past a move on arrival)
   * reads, the events that counted in it when `snapshot` was taken, oldest
   * first, at most LIMITS.causedBy in all: a branch that reads them and fires
   * names them as causes (patch aggregate-branch-causes, snapshot-causes.ts).
   * Absent: none, and in states from before the patch.
   */
  snapshotCauses?: Record<string, string[]>;
  /** Per aggregate key, the contributions of events received since this state was entered. */
  window: Record<string, Contribution[]>;
  /** Progress of the state's action group, by step id (groups included). */
  steps: Record<string, StepStatus>;
  actionsDone: boolean;
  timers: TimerRecord[];
  /**
   * Events that matched an `on` transition while the state's actions were
   * still running; taken in order once they finish. Absent in older states.
   */
  deferred?: EventFacts[];
}

export interface RewardRecord {
  pathId: string;
  stepId: string;
  type: 'coupon' | 'points' | 'credit';
  idempotencyKey: string;
  causedBy: string[];
  status: 'pending' | 'issued' | 'notIssued' | 'reclaimed';
  /** The step's outcome once the workflow reported it. */
  outcome?: string;
  result?: unknown;
  /** Why it is reclaimed, as the cancel said, while it was still being issued: the reclaim once it is issued says so too. */
  reclaimReason?: string;
}

export interface FinishedPath {
  pathId: string;
  entryNo: number;
  state: string;
  endedAt: string;
  reason: string;
  /**
   * How it ended: in one of the campaign's end states, or by an exit (an
   * exitOn event, an operator's exit; `state` is then where it was). Absent
   * from paths that ended before it was recorded: see `endingOf`.
   */
  ending?: PathEnding;
}

export type PathEnding = 'end-state' | 'exit';

/** How a path ended; for one that ended before `ending` was recorded, told from the reason an end state gives. */
export function endingOf(path: FinishedPath): PathEnding {
  return path.ending ?? (path.reason === endStateReason(path.state) ? 'end-state' : 'exit');
}

/** The active version's `schedule.endsAt` (epoch ms, null: none), as an activation at `activatedAt` told it. */
export interface ScheduleTold {
  campaignVersion: number;
  endsAt: number | null;
  activatedAt: number;
}

export interface JourneyState {
  version: 1;
  campaignKey: string;
  userId: string;
  /** The campaign version this journey runs (DESIGN.md decision 3). */
  planVersion: number;
  /** Fixes random choices (splits) for this journey, so replays choose the same. */
  seed: string;
  /** active: paths running; idle: none running, the user may enter again; ended: nothing more will happen. */
  status: 'active' | 'idle' | 'ended';
  endReason: string | null;
  entries: number;
  entryTimes: string[];
  /** The latest profile seen (user.* for timers and outcomes, which carry none). */
  user: Record<string, unknown>;
  /**
   * The stored profile as last given, without any event's `user` override:
   * what the next event merges its own override into (see storedProfile).
   * Absent in states from before issue 11.
   */
  profile?: Record<string, unknown>;
  paths: PathState[];
  /**
   * The campaign was archived (patch archive-ends-journeys): the journey ends
   * when no path runs, instead of waiting for an entry that cannot come.
   * Absent in states from before it, and while the campaign is not archived.
   */
  campaignArchived?: true;
  /**
   * The campaign's schedule as its active version has it, told when another
   * version with another `schedule.endsAt` was activated (the
   * `campaignSchedule` signal, patch schedule-end-follows-activation): the
   * journey ends by it, not by the `endsAt` of the version it runs. The
   * newest activation told wins. Absent until told.
   */
  scheduleTold?: ScheduleTold;
  finished: FinishedPath[];
  rewards: RewardRecord[];
  seenEventIds: string[];
  cancelledEventIds: string[];
  trace: TraceEntry[];
}

export interface JourneyIdentity {
  campaignKey: string;
  userId: string;
  seed: string;
  planVersion?: number;
}

export function initialJourneyState(plan: { key: string; version: number }, id: JourneyIdentity): JourneyState {
  return {
    version: 1,
    campaignKey: id.campaignKey || plan.key,
    userId: id.userId,
    planVersion: id.planVersion ?? plan.version,
    seed: id.seed,
    status: 'idle',
    endReason: null,
    entries: 0,
    entryTimes: [],
    user: {},
    paths: [],
    finished: [],
    rewards: [],
    seenEventIds: [],
    cancelledEventIds: [],
    trace: [],
  };
}

/**
 * The profile the next event's `user` override is merged into. An override
 * applies to its own event only (CAMPAIGNS.md, "Facts"): `user` holds the
 * merged one, so it must not be handed back as the stored profile.
 */
export function storedProfile(state: JourneyState): Record<string, unknown> {
  return state.profile ?? state.user;
}

/** Appends and keeps the newest `limit` items. */
export function pushBounded<T>(list: T[], item: T, limit: number): void {
  list.push(item);
  if (list.length > limit) list.splice(0, list.length - limit);
}

/**
 * Appends a reward record and keeps at most `limit`, dropping the oldest
 * settled ones: a record still waiting for its step's outcome stays (more
 * of those than `limit` stay all), as withinRewardBudget keeps them.
 */
export function pushRewardBounded(rewards: RewardRecord[], record: RewardRecord, limit: number): void {
  rewards.push(record);
  if (rewards.length > limit) rewards.splice(0, rewards.length, ...settledTrimmed(rewards, limit));
}

/**
 * The records past `limit` without their oldest settled ones, in one pass:
 * records that were all under way when pushed are trimmed as their outcomes
 * come in (applyOutcome), so the bound holds again once they settle.
 */
export function settledTrimmed(rewards: RewardRecord[], limit: number): RewardRecord[] {
  let excess = rewards.length - limit;
  if (excess <= 0) return rewards;
  return rewards.filter((r) => {
    if (excess > 0 && isSettled(r)) {
      excess--;
      return false;
    }
    return true;
  });
}

/** Whether a reward record has its step's outcome (a pending record, or one reclaimed while being issued, waits for it). */
export function isSettled(r: RewardRecord): boolean {
  return r.status !== 'pending' && r.outcome !== undefined;
}

/**
 * The reward records within LIMITS.rewardBytes, dropping the oldest settled
 * ones first: a record whose step has not reported its outcome yet (pending,
 * or reclaimed by a cancel while being issued) waits for it, and cancelling
 * an event reclaims a dropped reward through the ledger, which keeps its
 * causes.
 */
export function withinRewardBudget(rewards: RewardRecord[]): RewardRecord[] {
  const sizes = rewards.map((r) => jsonBytes(r));
  let total = sizes.reduce((a, b) => a + b, 0);
  if (total <= LIMITS.rewardBytes) return rewards;
  const dropped = new Set<number>();
  for (let i = 0; i < rewards.length && total > LIMITS.rewardBytes; i++) {
    if (!isSettled(rewards[i])) continue;
    dropped.add(i);
    total -= sizes[i];
  }
  return rewards.filter((_, i) => !dropped.has(i));
}

/** Whether the journey took this event (or tick, `tick:<id>`) already, or had it cancelled: it must not count again. */
export function seenOrCancelled(state: JourneyState, id: string): boolean {
  return state.seenEventIds.includes(id) || state.cancelledEventIds.includes(id);
}
