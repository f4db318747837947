import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { enteredWords, stepTree, strategyLine, strategyText, type ModelNode } from './graph-model';
import { amount } from '../../ui/numbers';
import { StepChip } from './StepChip';
import { nameLines, STRATEGY_LINE_PX, strategyLines } from './layout';

export type StateNodeType = Node<{ node: ModelNode; selected: boolean }, 'state'>;

/** A state: name, entered / now, its actions as chips and the group strategy (with the group's `if`). */
export function StateNode({ data }: NodeProps<StateNodeType>) {
  const n = data.node;
  const name = n.kind === 'entry' ? 'Entry' : n.label;
  const lines = nameLines(name);
  const counted = enteredWords(n.kind, n.entered);
  const strategy = strategyLine(n);
  return (
    <div className={`gnode gnode-${n.kind}${n.initial ? ' gnode-initial' : ''}${data.selected ? ' gnode-selected' : ''}`} role="group" aria-label={n.accessibleName} data-state={n.id}>
      {n.kind !== 'entry' && <Handle type="target" position={Position.Top} />}
      <div className="gnode-head">
        {/* Clamped to the lines the layout made room for; the whole name is in the title (and the node's accessible name). */}
        {n.temporalUrl ? (
          // The link opens the tab; the click must not also reach the graph's node click, which opens it again.
          <a
            href={n.temporalUrl}
            target="_blank"
            rel="noreferrer"
            title={`${name}: open these journeys in the Temporal UI`}
            className="gnode-name"
            style={{ WebkitLineClamp: lines }}
            onClick={(e) => e.stopPropagation()}
          >
            {name}
          </a>
        ) : (
          <span className="gnode-name" title={name} style={{ WebkitLineClamp: lines }}>
            {name}
          </span>
        )}
        {n.kind === 'end' && <span className="gnode-tag">end</span>}
        {n.initial && <span className="gnode-tag">initial</span>}
      </div>
      <div className="gnode-counts">
        <span title={counted.title}>
          <b data-testid={`entered-${n.id}`}>{n.entered === null ? '…' : amount(n.entered)}</b> {counted.word}
        </span>
        {n.kind === 'state' && (
          <span title="Distinct users with a path here now">
            <b data-testid={`now-${n.id}`}>{n.current === null ? '…' : amount(n.current)}</b> now
          </span>
        )}
      </div>
      {n.steps.length > 0 && (
        <>
          <ul className="chips" aria-label={`Actions${n.strategy ? `, ${strategyText(n.strategy, n.condition)}` : ''}`}>
            {stepTree(n.steps).map((item) => (
              <StepChip key={item.row.stepId} item={item} />
            ))}
          </ul>
          {strategy && (
            // Wrapped and clamped to the lines the layout made room for (layout.ts, strategyLines); the whole text in the title.
            <div
              className="chip-strategy"
              title={strategy}
              data-testid={`strategy-${n.id}`}
              style={{ display: '-webkit-box', WebkitBoxOrient: 'vertical', WebkitLineClamp: strategyLines(strategy), whiteSpace: 'normal', overflowWrap: 'anywhere', lineHeight: `${STRATEGY_LINE_PX}px` }}
            >
              {strategy}
            </div>
          )}
        </>
      )}
      {n.kind !== 'end' && <Handle type="source" position={Position.Bottom} />}
    </div>
  );
}
