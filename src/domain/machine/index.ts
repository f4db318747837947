export { step, type StepOptions, type StepResult } from './step';
export { AFTER_END_LIMITS, entersAfterEnd } from './after-end';
export { aggregateValue, FOLDED_EVENT_ID } from './aggregates';
export { EXITED_STATE } from './exit';
export { preview, type PreviewContext, type PreviewResult } from './preview';
export { initialJourneyState, LIMITS, storedProfile, type JourneyIdentity, type JourneyState, type PathState, type RewardRecord, type StepStatus } from './state';
export * from './effects';
export * from './inputs';
export type { TraceEntry, TraceNote, CandidateTrace } from './trace';
