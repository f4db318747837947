import { EXITED } from './graph-model';
import { intervalChoices } from './interval-choices';

/**
 * The intervals panel's two pickers and the pair it starts on. `from` offers
 * only states a path leaves: the API pairs arrivals of one path, and a path
 * that reached an end state or `(exited)` never moves again (a re-entry is a
 * new path), so timed from there the answer is a 400, never a figure. `to`
 * offers every state and `(exited)`. The nodes are the graph of the version
 * shown, which the panel measures.
 */
export function intervalPickers(nodes: ReadonlyArray<{ id: string; kind: string; initial: boolean }>): { from: string[]; to: string[]; start: { from: string; to: string } } {
  const choices = intervalChoices(nodes);
  const ends = new Set(nodes.filter((n) => n.kind === 'end').map((n) => n.id));
  const from = choices.states.filter((s) => !ends.has(s));
  return { from, to: [...choices.states, EXITED], start: { from: from.includes(choices.from) ? choices.from : (from[0] ?? ''), to: choices.to } };
}
