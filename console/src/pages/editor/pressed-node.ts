import { useCallback, useRef, type MouseEvent, type PointerEvent } from 'react';

/** How far the pointer may travel between the press and the click for it to stay a click (further: a drag or a pan). */
const CLICK_SLOP_PX = 4;

/**
 * The state a click on the canvas chose: the one under the press. A field
 * left by pressing on the canvas applies its edit between the press and the
 * release; when that redraws the canvas (a renamed state grows, the states
 * below it move), the release lands elsewhere and the browser sends the
 * click to the pane or to another state. What the operator pressed on is
 * what they chose.
 */
export function usePressedNode(): {
  onPointerDownCapture: (e: PointerEvent) => void;
  /** At the click, before React Flow's handlers: the id of the node the press began on, or null when it began elsewhere or the pointer travelled. */
  chosenAt: (e: MouseEvent) => string | null;
  /** Whether the click being handled chose a node that way: React Flow's node, edge and pane clicks then stand aside. */
  clickChoseNode: () => boolean;
  /**
   * After chosenAt: whether the click being handled ends a drag from a state's handle (a transition drawn). Dropped on
   * the state it began on (a transition to itself), the browser sends that state a click, which would select it instead.
   */
  clickEndedDrawing: () => boolean;
} {
  const pressed = useRef<{ id: string; x: number; y: number; handle: boolean } | null>(null);
  const chose = useRef(false);
  const drew = useRef(false);
  const onPointerDownCapture = useCallback((e: PointerEvent) => {
    const target = e.target as Element;
    const id = e.button === 0 ? target.closest('.react-flow__node')?.getAttribute('data-id') : null;
    pressed.current = id ? { id, x: e.clientX, y: e.clientY, handle: target.closest('.react-flow__handle') !== null } : null;
  }, []);
  const chosenAt = useCallback((e: MouseEvent) => {
    const p = pressed.current;
    pressed.current = null;
    const still = p !== null && Math.hypot(e.clientX - p.x, e.clientY - p.y) <= CLICK_SLOP_PX;
    const id = p && still ? p.id : null;
    chose.current = id !== null;
    drew.current = p !== null && p.handle && !still;
    return id;
  }, []);
  const clickChoseNode = useCallback(() => chose.current, []);
  const clickEndedDrawing = useCallback(() => drew.current, []);
  return { onPointerDownCapture, chosenAt, clickChoseNode, clickEndedDrawing };
}
