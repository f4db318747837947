import type { JourneyState, PathEnding, TraceEntry } from '../../domain/machine';

export interface HeldActionView {
  pathId: string;
  stepId: string;
  summary: string;
  error: string;
  since: string;
}

/** What the `state` query answers: the journey, its held steps and its decision trace. */
export interface JourneyView {
  workflowId: string;
  campaignKey: string;
  campaignVersion: number;
  userId: string;
  status: JourneyState['status'];
  endReason: string | null;
  entries: number;
  /** Current state of every active path. */
  states: string[];
  paths: Array<{
    pathId: string;
    entryNo: number;
    state: string;
    enteredAt: string;
    stateEnteredAt: string;
    /** Aggregate values since the state was entered, by aggregate key. */
    aggregates: Record<string, unknown>;
    steps: Record<string, string>;
    timers: Array<{ timerId: string; fireAt: string }>;
  }>;
  /** `ending` always set: told from the reason for paths that ended before it was recorded. */
  finished: Array<JourneyState['finished'][number] & { ending: PathEnding }>;
  rewards: JourneyState['rewards'];
  held: HeldActionView[];
  trace: TraceEntry[];
  /** Runs so far (continue-as-new), for operators reading the UI. */
  run: number;
}
