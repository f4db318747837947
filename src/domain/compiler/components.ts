/**
 * Strongly connected components of a directed graph of state names, and the
 * shortest way between two states: what the graph checks need to find every
 * edge that lies on a cycle, not only the back edges one walk meets.
 */

/** Each node's component, as a number (two nodes share one when each can reach the other); targets that are no node are skipped. */
export function strongComponents(next: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  // Tarjan's algorithm, iterative: a chain may be thousands of states long, deeper than the call stack goes.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const component = new Map<string, number>();
  let counter = 0;
  let components = 0;
  const lower = (node: string, value: number) => low.set(node, Math.min(low.get(node) ?? value, value));
  for (const root of next.keys()) {
    if (index.has(root)) continue;
    const frames: Array<{ node: string; edge: number }> = [];
    const visit = (node: string) => {
      index.set(node, counter);
      low.set(node, counter);
      counter++;
      stack.push(node);
      onStack.add(node);
      frames.push({ node, edge: 0 });
    };
    visit(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const edges = next.get(frame.node) ?? [];
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++];
        if (!next.has(to)) continue;
        if (!index.has(to)) visit(to);
        else if (onStack.has(to)) lower(frame.node, index.get(to) ?? 0);
        continue;
      }
      frames.pop();
      const own = low.get(frame.node) ?? 0;
      if (frames.length > 0) lower(frames[frames.length - 1].node, own);
      if (own !== index.get(frame.node)) continue;
      for (;;) {
        const member = stack.pop() as string;
        onStack.delete(member);
        component.set(member, components);
        if (member === frame.node) break;
      }
      components++;
    }
  }
  return component;
}

/** The shortest way from `from` to `to` along `next`, both ends included (`[to]` when they are one); null when there is none. */
export function shortestWay(next: ReadonlyMap<string, readonly string[]>, from: string, to: string): string[] | null {
  const cameFrom = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const state = queue[i];
    if (state === to) {
      const way: string[] = [];
      for (let at: string | null = state; at !== null; at = cameFrom.get(at) ?? null) way.push(at);
      return way.reverse();
    }
    for (const onward of next.get(state) ?? []) {
      if (cameFrom.has(onward)) continue;
      cameFrom.set(onward, state);
      queue.push(onward);
    }
  }
  return null;
}
