import { Background, MarkerType, ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import { useTheme } from '../../theme/use-theme';
import { FitControls } from './FitControls';
import { edgeName, edgeText } from './edge-text';
import { strategyLine, type GraphModel, type ModelNode } from './graph-model';
import { layeredLayout, nodeSize, strategyLines } from './layout';
import { nodeHandles } from './node-handles';
import { RoutedEdge, type RoutedEdgeType } from './RoutedEdge';
import { savedLayout } from './saved-layout';
import { StateNode, type StateNodeType } from './StateNode';

const nodeTypes = { state: StateNode };
const groupsIn = (n: ModelNode) => n.steps.filter((r) => r.kind === 'group').length;
const edgeTypes = { routed: RoutedEdge };


/**
 * The graph, laid out in layers and fitted to the screen (no smaller than
 * readable: a large one starts at the entry); counts update in place. With `saved` (a version's layout from the canvas), the states sit
 * where the canvas placed them.
 */
export function CampaignGraphView({ model, selected, onOpen, saved = null }: { model: GraphModel; selected: Set<string>; onOpen: (id: string) => void; saved?: Record<string, { x: number; y: number }> | null }) {
  const { scheme } = useTheme();
  // Layout depends on the shape only, so a refresh of the counts moves nothing.
  const shape = model.nodes.map((n) => `${n.id}:${n.steps.length}:${groupsIn(n)}:${strategyLines(strategyLine(n))}`).join('|') + '/' + model.edges.map((e) => e.id).join('|');
  const layout = useMemo(() => {
    const boxes = model.nodes.map((n) => ({ id: n.id, ...nodeSize(n.steps.length, n.kind, n.label, groupsIn(n), strategyLine(n)) }));
    const edges = model.edges.map((e) => ({ ...e, text: edgeText(e.label, 99999) }));
    return (saved && savedLayout(boxes, edges, saved, model.nodes.find((n) => n.initial)?.id ?? null)) || layeredLayout(boxes, edges);
  }, [shape, saved]);
  const nodes: StateNodeType[] = model.nodes.map((n) => {
    const size = nodeSize(n.steps.length, n.kind, n.label, groupsIn(n), strategyLine(n));
    return {
      id: n.id,
      type: 'state',
      position: layout.nodes.get(n.id) ?? { x: 0, y: 0 },
      data: { node: n, selected: selected.has(n.id) },
      draggable: false,
      ariaLabel: n.accessibleName,
      ...size,
      // Sizes and handle places given, not measured: edges stay drawn whatever re-measures the DOM.
      handles: nodeHandles(size),
    };
  });
  // The drawing, edge labels included (fitting the nodes alone cut labels off at the sides).
  const bounds = useMemo(() => ({ x: 0, y: 0, width: layout.width, height: layout.height }), [layout]);
  const edges: RoutedEdgeType[] = model.edges.map((e) => ({
    id: e.id,
    source: e.source,
    target: e.target,
    type: 'routed',
    data: {
      // The route's bends between the two handles (its ends are the handles themselves).
      bends: layout.edges.get(e.id)?.points.slice(1, -1) ?? [],
      label: layout.edges.get(e.id)?.label ?? { x: 0, y: 0 },
      text: e.count === null ? e.label : edgeText(e.label, e.count, e.countShared),
      kind: e.kind,
    },
    markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
    style: e.kind === 'after' || e.kind === 'at' ? { strokeDasharray: '6 4' } : undefined,
    ariaLabel: edgeName(e.source, e.target, e.label, e.count),
  }));
  return (
    <div className="graph" data-testid="campaign-graph">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        nodesConnectable={false}
        nodesDraggable={false}
        elementsSelectable
        onNodeClick={(_, node) => onOpen(node.id)}
        proOptions={{ hideAttribution: true }}
        colorMode={scheme}
        minZoom={0.2}
      >
        <Background gap={24} color="var(--grid)" />
        <FitControls ids={model.nodes.map((n) => n.id)} anchorId={model.nodes.find((n) => n.kind === 'entry')?.id ?? null} bounds={bounds} />
      </ReactFlow>
    </div>
  );
}
