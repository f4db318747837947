/**
 * The reason a path that reached an end state records, in its finished path
 * and its trace note. Other readers (paths recorded before `ending`, the
 * console's trace) tell an end state from an exit by these words.
 */
export const endStateReason = (state: string): string => `reached end state ${state}`;

/** The state the journey log records for a path that exited (an exitOn event, an operator's exit): not a state of the campaign. */
export const EXITED_STATE = '(exited)';
