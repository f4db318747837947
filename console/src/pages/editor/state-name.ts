import { counted } from '../../ui/numbers';
import type { EditorNode } from './editor-model';

/**
 * What a screen reader says for a state on the canvas, reached by Tab: its
 * name and what it holds, as the node shows it (its issues too: they are
 * painted on the node, where a keyboard user would never hear them).
 */
export function stateName(n: EditorNode, transitions: number): string {
  const what = `${n.end ? 'End state' : 'State'} ${n.id}${n.initial ? ' (initial)' : ''}`;
  const holds = [counted(n.actions.length, 'action'), ...(n.end ? [] : [counted(transitions, 'transition') + ' out'])].join(', ');
  const issues = n.issues.length === 0 ? '' : `; ${counted(n.issues.length, 'issue')}: ${n.issues.map((i) => i.message).join('; ')}`;
  return `${what}: ${holds}${issues}`;
}
