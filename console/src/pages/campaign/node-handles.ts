import { Position, type NodeHandle } from '@xyflow/react';

/**
 * Where a state's two handles sit: the middle of its top (in) and bottom
 * (out) edges. Given to React Flow rather than measured by it, so an edge is
 * drawn as soon as its nodes are, whatever re-measures the DOM (under load it
 * had not measured them 30 s later: a canvas with no arrows). `ids` when the
 * node's Handle components have them.
 */
export function nodeHandles(size: { width: number; height: number }, ids: { target?: string; source?: string } = {}): NodeHandle[] {
  return [
    { ...(ids.target ? { id: ids.target } : {}), type: 'target', position: Position.Top, x: size.width / 2 - 3, y: -3, width: 6, height: 6 },
    { ...(ids.source ? { id: ids.source } : {}), type: 'source', position: Position.Bottom, x: size.width / 2 - 3, y: size.height - 3, width: 6, height: 6 },
  ];
}
