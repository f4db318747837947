/**
 * What the toolbar's badge says about the campaign being edited. Text in the
 * JSON or YAML tab that does not parse comes first: the issues counted are
 * those of the last text that did, and would mislead. Pure.
 */

/** The JSON or YAML tab's text that does not parse: the parser's message and line (1-based), when it gives one. */
export interface TextProblem {
  view: 'json' | 'yaml';
  message: string;
  line: number | null;
}

export type BadgeTone = 'checking' | 'ok' | 'held' | 'error';

/** `answered`: the status Kairos answered a failed check with (check-outcome's answeredStatus), null or left out when no answer came. */
export function validityBadge(state: { fresh: boolean; total: number; warned: number; text: TextProblem | null; unchecked?: boolean; answered?: number | null }): { text: string; tone: BadgeTone } {
  if (state.text) {
    const where = state.text.line !== null ? ` (line ${state.text.line})` : '';
    return { text: `${state.text.view === 'yaml' ? 'YAML' : 'JSON'} does not parse${where}`, tone: 'error' };
  }
  if (!state.fresh) return { text: 'checking…', tone: 'checking' };
  // The check itself failed: no issue found is not "compiles". A 503 is an answer, and saying none came would send the reader to the network.
  if (state.unchecked) return { text: state.answered != null ? `not checked: Kairos answered ${state.answered}` : 'not checked: Kairos did not answer', tone: 'error' };
  if (state.total === 0) return { text: 'compiles', tone: 'ok' };
  if (state.warned > 0) return { text: `compiles; ${state.warned} to fix before activating`, tone: 'held' };
  return { text: `${state.total} issue${state.total === 1 ? '' : 's'}`, tone: 'error' };
}
