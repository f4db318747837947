import { Background, Controls, MarkerType, Position, ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import { useTheme } from '../../theme/use-theme';
import { layeredLayout } from '../campaign/layout';
import { RoutedEdge, type RoutedEdgeType } from '../campaign/RoutedEdge';
import { DiffNode, diffNodeName, type DiffNodeType } from './DiffNode';
import { edgeChangeText, type GraphDiff } from './graph-diff';

const nodeTypes = { diff: DiffNode };
const edgeTypes = { routed: RoutedEdge };

const size = (n: GraphDiff['nodes'][number]) =>
  n.kind === 'entry' ? { width: 180, height: 48 } : { width: 240, height: 44 + Math.max(n.notes.length, n.actions.length > 0 ? 1 : 0) * 18 };

const edgeText = (e: GraphDiff['edges'][number]) =>
  e.change === 'changed'
    ? edgeChangeText(e)
    : e.change === 'same'
      ? e.label
      : `${e.change === 'added' ? '+' : '−'} ${e.label}`;

/** Both versions in one drawing, laid out in layers: what was added, removed and changed marked on states and transitions. */
export function DiffGraphView({ diff }: { diff: GraphDiff }) {
  const { scheme } = useTheme();
  const layout = useMemo(
    () => layeredLayout(diff.nodes.map((n) => ({ id: n.id, ...size(n) })), diff.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, text: edgeText(e) }))),
    [diff],
  );
  const nodes: DiffNodeType[] = diff.nodes.map((n) => {
    const s = size(n);
    return {
      id: n.id,
      type: 'diff',
      position: layout.nodes.get(n.id) ?? { x: 0, y: 0 },
      data: { node: n },
      draggable: false,
      // Tab reaches this element, not the drawing inside it: the name goes here (React Flow gives it a role, not a name).
      ariaLabel: diffNodeName(n),
      ...s,
      handles: [
        { type: 'target' as const, position: Position.Top, x: s.width / 2 - 3, y: -3, width: 6, height: 6 },
        { type: 'source' as const, position: Position.Bottom, x: s.width / 2 - 3, y: s.height - 3, width: 6, height: 6 },
      ],
    };
  });
  const edges: RoutedEdgeType[] = diff.edges.map((e) => ({
    id: e.id,
    source: e.source,
    target: e.target,
    type: 'routed',
    className: `diff-edge-${e.change}`,
    data: { bends: layout.edges.get(e.id)?.points.slice(1, -1) ?? [], label: layout.edges.get(e.id)?.label ?? { x: 0, y: 0 }, text: edgeText(e), kind: e.kind },
    markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
    ariaLabel: `${e.source} to ${e.target}: ${edgeText(e)}${e.change === 'same' ? '' : `, ${e.change}`}`,
  }));
  return (
    <div className="graph" data-testid="diff-graph">
      <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} edgeTypes={edgeTypes} fitView fitViewOptions={{ padding: 0.08 }} nodesConnectable={false} nodesDraggable={false} proOptions={{ hideAttribution: true }} minZoom={0.2} colorMode={scheme}>
        <Background gap={24} color="var(--grid)" />
        <Controls showInteractive={false} position="top-right" />
      </ReactFlow>
    </div>
  );
}
