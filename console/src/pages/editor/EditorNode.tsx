import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { stepTree } from '../campaign/graph-model';
import { nameLines } from '../campaign/layout';
import { StepChip } from '../campaign/StepChip';
import type { EditorNode as Model } from './editor-model';

export type EditorNodeType = Node<{ node: Model; selected: boolean; reached: boolean }, 'editable'>;

/** A state being drawn: its name, tags, action chips and the compiler's issues on it, inline. */
export function EditorNode({ data }: NodeProps<EditorNodeType>) {
  const n = data.node;
  const bad = n.issues.length > 0;
  return (
    <div className={`gnode ${n.end ? 'gnode-end' : ''} ${n.initial ? 'gnode-initial' : ''} ${data.selected ? 'gnode-selected' : ''} ${bad ? 'gnode-issue' : ''} ${data.reached ? 'gnode-reached' : ''}`} data-state={n.id}>
      <Handle type="target" position={Position.Top} id="in" />
      <div className="gnode-head">
        {/* Clamped as on the campaign graph; the whole name in the title and the state panel. */}
        <span className="gnode-name" title={n.id} style={{ WebkitLineClamp: nameLines(n.id) }}>
          {n.id}
        </span>
        {n.end && <span className="gnode-tag">end</span>}
        {n.initial && <span className="gnode-tag">initial</span>}
      </div>
      {n.steps.length > 0 && (
        <ul className="chips">
          {stepTree(n.steps).map((item) => (
            <StepChip key={item.row.stepId} item={item} icons={false} />
          ))}
          {n.strategy && n.actions.length > 1 && <li className="chip chip-strategy">{n.strategy}</li>}
        </ul>
      )}
      {n.issues.map((i, k) => (
        <div key={k} className="inline-issue small" data-path={i.path}>
          ⚠ {i.message}
        </div>
      ))}
      <Handle type="source" position={Position.Bottom} id="out" />
    </div>
  );
}
