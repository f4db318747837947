import type { EditorNode } from './editor-model';
import { stateName } from './state-name';

const node = (over: Partial<EditorNode>): EditorNode => ({ id: 'waiting', initial: false, end: false, actions: [], steps: [], strategy: null, issues: [], ...over });

describe('a canvas state as a screen reader says it', () => {
  it('names the state, whether it is initial, and counts its actions and transitions', () => {
    expect(stateName(node({ initial: true, actions: ['points: 10', 'push welcome'] }), 1)).toBe('State waiting (initial): 2 actions, 1 transition out');
  });

  it('says an end state as such, without transitions', () => {
    expect(stateName(node({ id: 'done', end: true }), 0)).toBe('End state done: 0 actions');
  });

  it('says the issues painted on the node', () => {
    const issues = [{ path: 'states.waiting', message: '"waiting" has no way out', target: { kind: 'state', state: 'waiting' } }] as EditorNode['issues'];
    expect(stateName(node({ issues }), 0)).toBe('State waiting: 0 actions, 0 transitions out; 1 issue: "waiting" has no way out');
  });
});
