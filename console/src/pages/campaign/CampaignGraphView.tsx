import { Background, Controls, MarkerType, Position, ReactFlow, type Edge } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import type { GraphModel } from './graph-model';
import { layeredLayout, nodeSize } from './layout';
import { StateNode, type StateNodeType } from './StateNode';

const nodeTypes = { state: StateNode };

/** The graph, laid out in layers and fitted to the screen; counts update in place. */
export function CampaignGraphView({ model, selected, onOpen }: { model: GraphModel; selected: Set<string>; onOpen: (id: string) => void }) {
  // Layout depends on the shape only, so a refresh of the counts moves nothing.
  const shape = model.nodes.map((n) => `${n.id}:${n.actions.length}`).join('|') + '/' + model.edges.map((e) => e.id).join('|');
  const positions = useMemo(
    () => layeredLayout(model.nodes.map((n) => ({ id: n.id, ...nodeSize(n.actions.length, n.kind) })), model.edges),
    [shape],
  );
  const nodes: StateNodeType[] = model.nodes.map((n) => {
    const size = nodeSize(n.actions.length, n.kind);
    return {
      id: n.id,
      type: 'state',
      position: positions.get(n.id) ?? { x: 0, y: 0 },
      data: { node: n, selected: selected.has(n.id) },
      draggable: false,
      ariaLabel: n.accessibleName,
      ...size,
      // Sizes and handle places given, not measured: edges stay drawn whatever re-measures the DOM.
      handles: [
        { type: 'target' as const, position: Position.Top, x: size.width / 2 - 3, y: -3, width: 6, height: 6 },
        { type: 'source' as const, position: Position.Bottom, x: size.width / 2 - 3, y: size.height - 3, width: 6, height: 6 },
      ],
    };
  });
  const edges: Edge[] = model.edges.map((e) => ({
    id: e.id,
    source: e.source,
    target: e.target,
    label: e.count === null ? e.label : `${e.label} · ${e.count}${e.countShared ? '*' : ''} taken`,
    labelBgPadding: [6, 3] as [number, number],
    labelBgBorderRadius: 4,
    labelStyle: { fontSize: 12, fill: '#1f2937' },
    labelBgStyle: { fill: '#ffffff', stroke: '#d1d5db' },
    markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
    style: e.kind === 'after' || e.kind === 'at' ? { strokeDasharray: '6 4' } : undefined,
    ariaLabel: `${e.source} to ${e.target}: ${e.label}${e.count !== null ? `, ${e.count} taken` : ''}`,
  }));
  return (
    <div className="graph" data-testid="campaign-graph">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ padding: 0.12 }}
        nodesConnectable={false}
        nodesDraggable={false}
        elementsSelectable
        onNodeClick={(_, node) => onOpen(node.id)}
        proOptions={{ hideAttribution: true }}
        minZoom={0.2}
      >
        <Background gap={24} color="#e5e7eb" />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
