/**
 * The viewport a graph opens at: the whole drawing when that leaves its text
 * readable, else the drawing at the smallest readable zoom, starting at the
 * entry (where journeys start; the operator pans or zooms out from there).
 * Fitting 60 states into a screen made every label a few pixels high. Pure.
 */
import type { Point } from './layout';

/** Below this, 12 px edge labels and 12.5 px node text shrink under 9 px: fitting stops here. */
export const READABLE_ZOOM = 0.75;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/**
 * `bounds`: the drawing, in graph coordinates; `screen`: the pane's size in
 * pixels; `anchor`: the point to start at when the drawing does not fit
 * readably (the entry's, or the initial state's, top centre); `padding`: a
 * fraction of the drawing kept around it when it fits; `maxZoom`: no
 * enlarging past this (a small graph is not blown up).
 */
export function readableFit(bounds: Rect, screen: { width: number; height: number }, anchor: Point | null, { padding = 0.05, maxZoom = 1, minZoom = READABLE_ZOOM } = {}): Viewport {
  const w = Math.max(bounds.width, 1);
  const h = Math.max(bounds.height, 1);
  const fit = Math.min(screen.width / (w * (1 + 2 * padding)), screen.height / (h * (1 + 2 * padding)), maxZoom);
  const centred = (zoom: number, along: 'x' | 'y') =>
    along === 'x' ? screen.width / 2 - (bounds.x + w / 2) * zoom : screen.height / 2 - (bounds.y + h / 2) * zoom;
  if (fit >= minZoom) return { x: centred(fit, 'x'), y: centred(fit, 'y'), zoom: fit };

  const zoom = minZoom;
  const margin = 20;
  // Sideways: the anchor in the middle, but no blank beyond either side of the drawing; a drawing narrower than the pane is centred.
  let x: number;
  if (w * zoom + 2 * margin <= screen.width) x = centred(zoom, 'x');
  else {
    const at = anchor ? screen.width / 2 - anchor.x * zoom : margin - bounds.x * zoom;
    x = Math.min(margin - bounds.x * zoom, Math.max(screen.width - margin - (bounds.x + w) * zoom, at));
  }
  // Downwards: from the top of the drawing (the entry is at the top of a layered graph), or the anchor near the top.
  let y: number;
  if (h * zoom + 2 * margin <= screen.height) y = centred(zoom, 'y');
  else {
    const at = anchor ? margin - anchor.y * zoom : margin - bounds.y * zoom;
    y = Math.min(margin - bounds.y * zoom, Math.max(screen.height - margin - (bounds.y + h) * zoom, at));
  }
  return { x, y, zoom };
}
