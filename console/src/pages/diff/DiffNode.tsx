import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { DiffNode as Model } from './graph-diff';

export type DiffNodeType = Node<{ node: Model }, 'diff'>;

const WORD = { added: 'added', removed: 'removed', changed: 'changed', same: '' } as const;

/**
 * What a screen reader says for a state of the diff: its name, whether it was added, removed or changed, and what
 * changed. Given to the React Flow node itself (DiffGraphView), the element Tab reaches (CONSOLE.md: graph nodes have
 * accessible names).
 */
export function diffNodeName(n: Model): string {
  const name = n.kind === 'entry' ? 'Entry' : n.label;
  return `State ${name}${n.change === 'same' ? ', unchanged' : `, ${WORD[n.change]}`}${n.notes.length ? `: ${n.notes.join('; ')}` : ''}`;
}

/** A state of either version: its name, whether it was added, removed or changed, and what changed in words. */
export function DiffNode({ data }: NodeProps<DiffNodeType>) {
  const n = data.node;
  const name = n.kind === 'entry' ? 'Entry' : n.label;
  return (
    <div
      className={`diff-node diff-node-${n.kind} diff-${n.change}`}
      data-state={n.id}
      data-change={n.change}
    >
      {n.kind !== 'entry' && <Handle type="target" position={Position.Top} />}
      <div className="diff-node-head">
        <span className="diff-node-name" title={name}>
          {name}
        </span>
        {n.change !== 'same' && <span className={`diff-tag diff-tag-${n.change}`}>{WORD[n.change]}</span>}
      </div>
      {n.notes.length > 0 ? (
        <ul className="diff-notes">
          {/* By place: two equal actions added are two equal notes. */}
          {n.notes.map((t, i) => (
            <li key={i} title={t}>
              {t}
            </li>
          ))}
        </ul>
      ) : (
        n.actions.length > 0 && <div className="muted small">{n.actions.map((a) => a.text).join(', ')}</div>
      )}
      {n.kind !== 'end' && <Handle type="source" position={Position.Bottom} />}
    </div>
  );
}
