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

export function validityBadge(state: { fresh: boolean; total: number; warned: number; text: TextProblem | null; unchecked?: boolean }): { text: string; tone: BadgeTone } {
  if (state.text) {
    const where = state.text.line !== null ? ` (line ${state.text.line})` : '';
    return { text: `${state.text.view === 'yaml' ? 'YAML' : 'JSON'} does not parse${where}`, tone: 'error' };
  }
  if (!state.fresh) return { text: 'checking…', tone: 'checking' };
  // The check itself failed (Kairos did not answer): no issue found is not "compiles".
  if (state.unchecked) return { text: 'not checked: Kairos did not answer', tone: 'error' };
  if (state.total === 0) return { text: 'compiles', tone: 'ok' };
  if (state.warned > 0) return { text: `compiles; ${state.warned} to fix before activating`, tone: 'held' };
  return { text: `${state.total} issue${state.total === 1 ? '' : 's'}`, tone: 'error' };
}
