import { changedPaths, isTouched, shownIssues } from './touched';

const initial = {
  key: 'k',
  name: 'N',
  entry: { on: 'order.completed' },
  initial: 'start',
  states: { start: { transitions: [{ to: 'done', after: 'P1D' }] }, done: { end: true } },
};

describe('what the operator touched', () => {
  it('finds the shallowest points where the definition changed, fields added and removed included', () => {
    expect(changedPaths(initial, initial)).toEqual([]);
    expect(changedPaths(initial, structuredClone(initial))).toEqual([]);
    const now = structuredClone(initial) as Record<string, unknown> & typeof initial;
    now.name = '';
    now.states.start.transitions[0].after = 'P3D';
    (now.states as Record<string, unknown>).lost = { end: true };
    delete (now.entry as { on?: string }).on;
    expect(changedPaths(initial, now).sort()).toEqual(['entry.on', 'name', 'states.lost', 'states.start.transitions[0].after']);
    expect(changedPaths([1], [1, 2], 'exitOn')).toEqual(['exitOn[1]']);
  });

  it('counts an issue as touched at, inside or around a touched path, and not at a neighbour that shares a prefix', () => {
    expect(isTouched('states.start', ['states.start.transitions[0].after'])).toBe(true);
    expect(isTouched('states.start.actions.steps[0].pool', ['states.start'])).toBe(true);
    expect(isTouched('exitOn[0].on', ['exitOn'])).toBe(true);
    expect(isTouched('states.starter', ['states.start'])).toBe(false);
    expect(isTouched('name', ['key'])).toBe(false);
    expect(isTouched('name', [])).toBe(false);
  });

  it('shows only touched issues until all are asked for, and counts those waiting', () => {
    const issues = [{ path: 'name' }, { path: 'states.start' }, { path: 'states.start.transitions[0].after' }];
    expect(shownIssues(issues, [], false)).toEqual({ shown: [], waiting: 3 });
    expect(shownIssues(issues, ['states.start.transitions[0]'], false)).toEqual({ shown: issues.slice(1), waiting: 1 });
    expect(shownIssues(issues, [], true)).toEqual({ shown: issues, waiting: 0 });
  });
});
