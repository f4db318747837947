/**
 * The states the intervals panel offers, the initial state first and end
 * states last, and the pair it starts on: from the initial state to the
 * first end state (the question most asked: how long until done), rather
 * than whichever two states the graph lists first.
 */
export function intervalChoices(nodes: ReadonlyArray<{ id: string; kind: string; initial: boolean }>): { states: string[]; from: string; to: string } {
  const states = nodes.filter((n) => n.kind !== 'entry');
  const ordered = [...states.filter((n) => n.initial), ...states.filter((n) => !n.initial && n.kind !== 'end'), ...states.filter((n) => !n.initial && n.kind === 'end')].map((n) => n.id);
  const firstEnd = states.find((n) => n.kind === 'end' && !n.initial)?.id;
  return { states: ordered, from: ordered[0] ?? '', to: firstEnd ?? ordered[1] ?? ordered[0] ?? '' };
}
