import { reclaimProgress, type ReclaimProgress } from './reclaim-progress';

/** As much of a GET /v1/users/{id}/rewards answer as a cancelled event's row reads. */
export interface RewardsList {
  rewards: ReadonlyArray<{ id: string; status: string; causedBy: readonly string[] }>;
  total: number;
  next?: string;
}

/**
 * Where a cancelled event's row learns which rewards the event caused. The
 * desk's own list, when it holds every reward of the user; otherwise the
 * ledger, asked for the event's rewards alone (`causedBy`, bounded), never
 * for the user's whole list. Until the desk's list is read, neither: it may
 * well hold every reward (most users have a few), and the row would then
 * have asked for nothing.
 */
export type EventRewardsSource = 'waiting' | 'desk' | 'ledger';

export function eventRewardsSource(desk: RewardsList | undefined): EventRewardsSource {
  if (desk === undefined) return 'waiting';
  return desk.rewards.length >= desk.total ? 'desk' : 'ledger';
}

/**
 * The rewards of one event a row asks the ledger for: the API's maximum. An
 * event causes a few (a step of each journey it reached); one that caused
 * more is beyond what a row can follow.
 */
export const EVENT_REWARDS_ASKED = 1000;

export interface EventReclaimProgress extends ReclaimProgress {
  /**
   * The ledger left older rewards of the event out (`next`): what the list
   * shows cannot say the taking back is over, and no later read will either,
   * so the row stops asking and sends the reader to the ledger instead.
   */
  beyondAsked: boolean;
}

/**
 * How far the taking back has got, on a list of rewards that holds every one
 * the event caused, or only the newest of them (`next`): then how many are
 * left is not known, nor ever will be from this list.
 */
export function eventReclaimProgress(eventId: string, reclaimed: ReadonlyArray<{ rewardId: string | null }>, list: RewardsList | undefined): EventReclaimProgress {
  if (list?.next !== undefined) return { settled: false, left: null, beyondAsked: true };
  return { ...reclaimProgress(eventId, reclaimed, list?.rewards), beyondAsked: false };
}

/** A word as one shell argument: single-quoted, a `'` inside as `'\''`; left bare when it holds nothing a shell reads. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Where support reads every reward an event caused when there are more than a
 * row follows: the ledger's URL, each id encoded as one path segment or query
 * value (`team/7`, `ord#1&x`), and the CLI command, the user id quoted as one
 * shell argument.
 */
export function ledgerHint(userId: string, eventId: string): { url: string; command: string } {
  return {
    url: `/v1/users/${encodeURIComponent(userId)}/rewards?causedBy=${encodeURIComponent(eventId)}`,
    command: `kairos users show ${shellWord(userId)} --rewards all`,
  };
}

/** How often a cancelled event's row reads again while it follows a taking back it can see. */
export const RECLAIM_REFRESH_MS = 1500;

/**
 * How often a cancelled event's row asks again: every 1.5 s while it follows
 * the taking back, but only on reads that work. Not before the desk's rewards
 * list has come (nothing can say when it is over: the row would ask for as
 * long as that list fails), nor after a failed read (it would ask a failing
 * server 40 times a minute, a row per cancelled event): then once, and again
 * as a one-off load does (backing off, never after a 4xx); the 1.5 s comes
 * back once the list comes or a read works. None once it is over.
 */
export function reclaimRefreshMs(row: { over: boolean; source: EventRewardsSource; failing: boolean }): number | undefined {
  return row.over || row.source === 'waiting' || row.failing ? undefined : RECLAIM_REFRESH_MS;
}
