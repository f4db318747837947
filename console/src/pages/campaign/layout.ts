import dagre from '@dagrejs/dagre';

export interface Box {
  id: string;
  width: number;
  height: number;
}

/** Top-left corners from a layered (Sugiyama) layout, top to bottom in the order of the edges. */
export function layeredLayout(boxes: Box[], edges: Array<{ source: string; target: string }>): Map<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 60, ranksep: 90, edgesep: 30, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const b of boxes) g.setNode(b.id, { width: b.width, height: b.height });
  edges.forEach((e, i) => {
    // Edge labels get room of their own between the layers.
    if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target, { width: 160, height: 24, labelpos: 'c' }, `e${i}`);
  });
  dagre.layout(g);
  const at = new Map<string, { x: number; y: number }>();
  for (const b of boxes) {
    const n = g.node(b.id);
    at.set(b.id, { x: n.x - b.width / 2, y: n.y - b.height / 2 });
  }
  return at;
}

/** A node's size from what it shows: a header, counts, one line per action. */
export function nodeSize(actions: number, kind: string): { width: number; height: number } {
  if (kind === 'entry') return { width: 180, height: 64 };
  return { width: 240, height: 76 + actions * 24 + (actions > 0 ? 10 : 0) };
}
