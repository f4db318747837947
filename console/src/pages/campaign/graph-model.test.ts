import { enteredWords, graphModel, stepTree, strategyLine, strategyText, type ApiFunnel, type ApiGraph, type ApiStepRow } from './graph-model';
import { amount } from '../../ui/numbers';
import { labelSize, layeredLayout, NAME_LINE_PX, nameLines, nodeSize, routePath, STRATEGY_LINE_PX, strategyLines } from './layout';

const node = (id: string, kind: 'entry' | 'state' | 'end', extra: Partial<ApiGraph['nodes'][number]> = {}) => ({
  id,
  kind,
  label: kind === 'entry' ? 'entry' : id,
  initial: false,
  strategy: null,
  condition: null,
  actions: [],
  steps: [],
  temporalUrl: null,
  ...extra,
});
const edge = (id: string, from: string, to: string, label: string, kind = 'on') => ({ id, from, to, kind, label, order: 0 });

/** The shape GET /v1/campaigns/{key}/graph answers for a two-way campaign with a split back into one state. */
const graph: ApiGraph = {
  nodes: [
    node('(entry)', 'entry'),
    node('waiting', 'state', { initial: true }),
    node('rewarded', 'end', { strategy: 'serial', actions: [{ stepId: 'rewarded/0', type: 'points', text: 'points: 10' }] }),
    node('expired', 'end'),
  ],
  edges: [
    edge('(entry)', '(entry)', 'waiting', 'order.completed', 'entry'),
    edge('waiting#0', 'waiting', 'rewarded', 'order.completed if event.amount >= 20'),
    edge('waiting#1', 'waiting', 'rewarded', 'when count(order.completed) >= 3', 'when'),
    edge('waiting#2', 'waiting', 'expired', 'after P7D', 'after'),
  ],
  exitOn: [{ eventType: 'user.unsubscribed', condition: null, label: 'user.unsubscribed' }],
};

const funnel: ApiFunnel = {
  states: [
    { state: 'waiting', entered: 5, current: 2 },
    { state: 'rewarded', entered: 2, current: 0 },
    { state: '(exited)', entered: 1, current: 0 },
  ],
  edges: [
    { from: '(entry)', to: 'waiting', count: 5 },
    { from: 'waiting', to: 'rewarded', count: 2 },
    { from: 'waiting', to: '(exited)', count: 1 },
  ],
};

describe('graphModel', () => {
  it('puts entered and now on states, entries on the entry node, and taken on edges', () => {
    const model = graphModel(graph, funnel);
    expect(model.nodes.map((n) => [n.id, n.entered, n.current])).toEqual([
      ['(entry)', 5, null],
      ['waiting', 5, 2],
      ['rewarded', 2, null],
      ['expired', 0, null],
    ]);
    expect(model.edges.map((e) => [e.id, e.source, e.target, e.count, e.countShared])).toEqual([
      ['(entry)', '(entry)', 'waiting', 5, false],
      ['waiting#0', 'waiting', 'rewarded', 2, true],
      ['waiting#1', 'waiting', 'rewarded', 2, true],
      ['waiting#2', 'waiting', 'expired', 0, false],
    ]);
    expect(model.exited).toBe(1);
  });

  it('keeps the labels the API gave and names nodes for screen readers', () => {
    const model = graphModel(graph, funnel);
    expect(model.edges.map((e) => e.label)).toEqual(graph.edges.map((e) => e.label));
    expect(model.nodes[1].accessibleName).toBe('State waiting, 5 entered, 2 there now');
    expect(model.nodes[2].accessibleName).toBe('End state rewarded, 2 entered; actions: points: 10');
  });

  it("says the state's group `if` and each nested group's, so a conditional reward is not heard as everyone's", () => {
    const points = { stepId: 'vip/0', type: 'points', text: 'points: 500' };
    const vip = node('vip', 'end', { strategy: 'serial', condition: 'user.vip == true', actions: [points], steps: [{ ...points, depth: 0, kind: 'action', strategy: null }] });
    const gold = { stepId: 'alt/0/0', type: 'coupon', text: 'coupon from gold' };
    const silver = { stepId: 'alt/0/1', type: 'coupon', text: 'coupon from silver' };
    const alt = node('alt', 'end', {
      strategy: 'serial',
      actions: [gold, silver],
      steps: [
        { stepId: 'alt/0', depth: 0, kind: 'group', type: null, strategy: 'priority', text: 'priority: first that succeeds if user.vip == true' },
        { ...gold, depth: 1, kind: 'action', strategy: null },
        { ...silver, depth: 1, kind: 'action', strategy: null },
      ],
    });
    const [, named, nested] = graphModel({ nodes: [node('(entry)', 'entry'), vip, alt], edges: [], exitOn: [] }, null).nodes;
    expect(named.accessibleName).toBe('End state vip; actions if user.vip == true: points: 500');
    expect(nested.accessibleName).toBe('End state alt; actions: group priority: first that succeeds if user.vip == true (coupon from gold; coupon from silver)');
    expect(strategyText('serial', 'user.vip == true')).toBe('serial: in order if user.vip == true');
    expect(strategyText('priority')).toBe('priority: first that succeeds');
  });

  it('says the entry counts entries, re-entries included, not users: more of them than users in the initial state is no drop', () => {
    // Two of the five users entered twice: seven entries, five users in `waiting`.
    const reentered: ApiFunnel = { ...funnel, edges: funnel.edges.map((e) => (e.from === '(entry)' ? { ...e, count: 7 } : e)) };
    const [entry, waiting] = graphModel(graph, reentered).nodes;
    expect(entry.accessibleName).toBe('Entry, 7 entries (re-entries included)');
    expect(waiting.accessibleName).toBe('State waiting, 5 entered, 2 there now');
    expect(enteredWords('entry', 7)).toEqual({ word: 'entries', title: expect.stringMatching(/re-entries included/) });
    expect(enteredWords('entry', 1).word).toBe('entry');
    expect(enteredWords('state', 5)).toEqual({ word: 'entered', title: 'Distinct users who ever arrived here' });
  });

  it('groups the counts it names as the locale does (1,234 rather than 1234)', () => {
    const big: ApiFunnel = { ...funnel, states: funnel.states.map((s) => (s.state === 'waiting' ? { ...s, entered: 1234, current: 1_000_000 } : s)) };
    expect(graphModel(graph, big).nodes[1].accessibleName).toBe(`State waiting, ${amount(1234)} entered, ${amount(1_000_000)} there now`);
    expect(amount(1234)).not.toBe('1234');
  });

  it('shows no numbers before the funnel is there, rather than zeros', () => {
    const model = graphModel(graph, null);
    expect(model.nodes.every((n) => n.entered === null && n.current === null)).toBe(true);
    expect(model.edges.every((e) => e.count === null)).toBe(true);
    expect(model.exited).toBeNull();
  });
});

describe('layeredLayout', () => {
  const model = graphModel(graph, funnel);
  const boxes = model.nodes.map((n) => ({ id: n.id, ...nodeSize(n.actions.length, n.kind) }));
  const layout = layeredLayout(boxes, model.edges.map((e) => ({ ...e, text: e.label })));
  type Rect = { x: number; y: number; width: number; height: number };
  const apart = (a: Rect, b: Rect) => a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;

  it('places each layer below the one it comes from, without overlaps', () => {
    const y = (id: string) => layout.nodes.get(id)?.y ?? NaN;
    expect(y('(entry)')).toBeLessThan(y('waiting'));
    expect(y('waiting')).toBeLessThan(y('rewarded'));
    expect(y('waiting')).toBeLessThan(y('expired'));
    const rects = boxes.map((b) => ({ ...b, ...layout.nodes.get(b.id)! }));
    for (const a of rects) for (const b of rects) if (a !== b) expect({ a: a.id, b: b.id, apart: apart(a, b) }).toEqual({ a: a.id, b: b.id, apart: true });
  });

  it('gives every edge a route and a label place of its own, clear of other labels and of the nodes', () => {
    expect([...layout.edges.keys()].sort()).toEqual(model.edges.map((e) => e.id).sort());
    const labels = model.edges.map((e) => {
      const at = layout.edges.get(e.id)!.label;
      const size = labelSize(e.label);
      return { id: e.id, x: at.x - size.width / 2, y: at.y - size.height / 2, ...size };
    });
    const nodes = boxes.map((b) => ({ ...b, ...layout.nodes.get(b.id)! }));
    for (const a of labels) {
      for (const b of labels) if (a !== b) expect({ a: a.id, b: b.id, apart: apart(a, b) }).toEqual({ a: a.id, b: b.id, apart: true });
      for (const n of nodes) expect({ label: a.id, node: n.id, apart: apart(a, n) }).toEqual({ label: a.id, node: n.id, apart: true });
    }
    // Routes start below their source and end above their target (top-to-bottom layers).
    const route = layout.edges.get('waiting#2')!.points;
    expect(route[0].y).toBeGreaterThanOrEqual(layout.nodes.get('waiting')!.y);
    expect(route[route.length - 1].y).toBeLessThanOrEqual(layout.nodes.get('expired')!.y + 1);
  });

  it('draws a route through its bends', () => {
    expect(routePath({ x: 0, y: 0 }, [], { x: 0, y: 10 })).toBe('M 0,0 L 0,10');
    expect(routePath({ x: 0, y: 0 }, [{ x: 10, y: 10 }], { x: 20, y: 20 })).toBe('M 0,0 Q 10,10 20,20');
    // One bend off the line: the curve passes through it (halfway, 0.25 * from + 0.5 * control + 0.25 * to = the bend).
    expect(routePath({ x: 0, y: 0 }, [{ x: 50, y: 50 }], { x: 0, y: 100 })).toBe('M 0,0 Q 100,50 0,100');
    expect(routePath({ x: 0, y: 0 }, [{ x: 10, y: 0 }, { x: 10, y: 10 }], { x: 20, y: 10 })).toBe('M 0,0 Q 10,0 10,5 Q 10,10 15,10 L 20,10');
  });
});

describe('nodeSize', () => {
  it('gives a long state name (up to 100 characters) a second line, so the node never grows past its box', () => {
    expect(nameLines('rewarded')).toBe(1);
    expect(nameLines('x'.repeat(100))).toBe(2);
    expect(nodeSize(1, 'state', 'x'.repeat(100)).height).toBe(nodeSize(1, 'state', 'rewarded').height + NAME_LINE_PX);
    expect(nodeSize(0, 'end', 'x'.repeat(60)).width).toBe(nodeSize(0, 'end', 'done').width);
  });

  it("makes room for the strategy line under the actions, two lines for one with a long `if`, none when it is not drawn", () => {
    const row = (text: string): ApiStepRow => ({ stepId: text, depth: 0, kind: 'action', type: 'points', strategy: null, text });
    const one = { strategy: 'serial' as const, condition: null, steps: [row('points: 50')] };
    expect(strategyLine(one)).toBeNull();
    expect(strategyLine({ ...one, steps: [row('points: 50'), row('coupon from gold')] })).toBe('serial: in order');
    const guarded = strategyLine({ ...one, condition: 'user.vip == true' });
    expect(guarded).toBe('serial: in order if user.vip == true');
    expect(strategyLines(null)).toBe(0);
    expect(strategyLines('priority: first that succeeds')).toBe(1);
    expect(strategyLines(guarded)).toBe(2);
    expect(nodeSize(1, 'end', 'rewarded', 0, guarded).height).toBe(nodeSize(1, 'end', 'rewarded').height + 2 * STRATEGY_LINE_PX);
    expect(nodeSize(2, 'state', 'rewarded', 0, 'serial: in order').height).toBe(nodeSize(2, 'state', 'rewarded').height + STRATEGY_LINE_PX);
  });
});

describe('stepTree', () => {
  const row = (depth: number, kind: 'action' | 'group', text: string) => ({ stepId: text, depth, kind, type: kind === 'action' ? ('coupon' as const) : null, strategy: kind === 'group' ? ('priority' as const) : null, text });

  it("nests each group's steps under it, as the rows' depths say", () => {
    const tree = stepTree([row(0, 'action', 'points'), row(0, 'group', 'priority'), row(1, 'action', 'gold'), row(1, 'group', 'serial'), row(2, 'action', 'silver'), row(1, 'action', 'bronze'), row(0, 'action', 'push')]);
    const show = (items: ReturnType<typeof stepTree>): unknown => items.map((i) => (i.children.length > 0 || i.row.kind === 'group' ? { [i.row.text]: show(i.children) } : i.row.text));
    expect(show(tree)).toEqual(['points', { priority: ['gold', { serial: ['silver'] }, 'bronze'] }, 'push']);
  });

  it('is flat when there is no nested group', () => {
    expect(stepTree([row(0, 'action', 'a'), row(0, 'action', 'b')]).map((i) => [i.row.text, i.children.length])).toEqual([
      ['a', 0],
      ['b', 0],
    ]);
  });
});
