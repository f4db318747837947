import { ControlButton, Controls, useReactFlow, useStore } from '@xyflow/react';
import { useCallback, useEffect, useRef } from 'react';
import { readableFit, type Rect } from './readable-fit';

/** True when `next` is `prev` with one more id: a state just added, which the canvas placed in view itself. */
export function oneAdded(prev: readonly string[], next: readonly string[]): boolean {
  const before = new Set(prev);
  return next.length === prev.length + 1 && next.filter((id) => !before.has(id)).length === 1;
}

/**
 * The graph's zoom buttons, and its fitting: at first, when `ids` (the states
 * drawn) change, and on the fit button, the view fits the drawing only as far
 * as its text stays readable (readable-fit.ts); past that it starts at
 * `anchorId`'s node. `bounds` is the drawing when the caller knows it (labels
 * included); otherwise the nodes' measured boxes. With `keepOnAdd`, a state
 * added does not refit (the canvas placed it in view, beside the selection).
 */
export function FitControls({ ids, anchorId, bounds, keepOnAdd = false }: { ids: string[]; anchorId: string | null; bounds?: Rect; keepOnAdd?: boolean }) {
  const flow = useReactFlow();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const fit = useCallback(() => {
    if (width <= 0 || height <= 0) return;
    const nodes = flow.getNodes().filter((n) => !n.hidden);
    if (!bounds && nodes.length === 0) return;
    const anchorNode = anchorId ? flow.getInternalNode(anchorId) : undefined;
    const anchor = anchorNode ? { x: anchorNode.internals.positionAbsolute.x + (anchorNode.measured.width ?? 0) / 2, y: anchorNode.internals.positionAbsolute.y } : null;
    void flow.setViewport(readableFit(bounds ?? flow.getNodesBounds(nodes), { width, height }, anchor, { padding: bounds ? 0.05 : 0.2 }));
  }, [flow, width, height, bounds, anchorId]);

  const key = ids.join('\u0000');
  const fitted = useRef<{ key: string; ids: string[] } | null>(null);
  useEffect(() => {
    if (width <= 0 || height <= 0 || fitted.current?.key === key) return;
    if (fitted.current !== null && keepOnAdd && oneAdded(fitted.current.ids, ids)) {
      fitted.current = { key, ids };
      return;
    }
    // Measured boxes (the canvas's nodes size themselves) are there a moment after they are drawn.
    const t = setTimeout(() => {
      fitted.current = { key, ids };
      fit();
    }, bounds ? 0 : 50);
    return () => clearTimeout(t);
  }, [key, width, height, fit]);

  // Our own fit button: the one Controls draws also queues React Flow's fitView, which lands at the next
  // nodes update (a count refresh) and undid this fit down to minZoom on a busy machine.
  return (
    <Controls showInteractive={false} showFitView={false} position="top-right">
      <ControlButton onClick={fit} className="react-flow__controls-fitview" title="Fit View" aria-label="Fit View">
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 30" aria-hidden="true">
          <path d="M0 0h10v3.7H3.7V10H0zM22 0h10v10h-3.7V3.7H22zM32 20v10H22v-3.7h6.3V20zM0 20h3.7v6.3H10V30H0z" />
        </svg>
      </ControlButton>
    </Controls>
  );
}
