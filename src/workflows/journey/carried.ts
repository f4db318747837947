import type { JourneyInput, JourneyState, RunAction, ReclaimRewards, RecordTransition } from '../../domain/machine';

/** An input waiting in the journey's inbox; `now` is stamped when it is handled. */
export type PendingInput = JourneyInput extends infer I ? (I extends { now: unknown } ? Omit<I, 'now'> : never) : never;

/** Effects that must still happen; carried across continue-as-new and started again (all are idempotent). */
export type OutstandingEffect = RunAction | ReclaimRewards | (RecordTransition & { seq: number });

export interface HeldAction {
  effect: RunAction;
  error: string;
  since: string;
}

/** Everything a journey hands to its next run (DESIGN.md decision 2). */
export interface CarriedJourney {
  version: 1;
  state: JourneyState;
  inbox: PendingInput[];
  outstanding: OutstandingEffect[];
  held: HeldAction[];
  transitionSeq: number;
  run: number;
  profileLoadedAt: number | null;
  /** The JourneyState search attribute as last upserted (absent from runs before patch lean-journey-history). */
  shownState?: string;
  /** Journey-log key prefix of a journey that began in a continued run (absent: the first execution's, as before). */
  logKeyPrefix?: string;
  /** Entries that reached the journey after it ended, for the journey after it (patch entries-after-end). */
  arrivedAfterEnd?: PendingInput[];
}
