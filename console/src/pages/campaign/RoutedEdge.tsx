import { BaseEdge, EdgeLabelRenderer, type Edge, type EdgeProps } from '@xyflow/react';
import { routePath, type Point } from './layout';

/** `tone`: the canvas marks a transition with issues (`issue`) on its label too. */
export type RoutedEdgeType = Edge<{ bends: Point[]; label: Point; text: string; kind: string; tone?: 'issue' }, 'routed'>;

/** An edge along the route the layered layout found, its label where the layout made room for it. */
export function RoutedEdge({ id, sourceX, sourceY, targetX, targetY, data, markerEnd, style }: EdgeProps<RoutedEdgeType>) {
  const bends = data?.bends ?? [];
  const label = data?.label ?? { x: (sourceX + targetX) / 2, y: (sourceY + targetY) / 2 };
  return (
    <>
      <BaseEdge id={id} path={routePath({ x: sourceX, y: sourceY }, bends, { x: targetX, y: targetY })} markerEnd={markerEnd} style={style} />
      <EdgeLabelRenderer>
        <div className={`edge-label edge-label-${data?.kind ?? 'on'}${data?.tone ? ` edge-label-${data.tone}` : ''}`} style={{ transform: `translate(-50%, -50%) translate(${label.x}px, ${label.y}px)` }} data-edge={id}>
          {data?.text}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}
