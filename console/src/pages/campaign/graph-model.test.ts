import { graphModel, type ApiFunnel, type ApiGraph } from './graph-model';
import { layeredLayout, nodeSize } from './layout';

const node = (id: string, kind: 'entry' | 'state' | 'end', extra: Partial<ApiGraph['nodes'][number]> = {}) => ({
  id,
  kind,
  label: kind === 'entry' ? 'entry' : id,
  initial: false,
  strategy: null,
  actions: [],
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

  it('shows no numbers before the funnel is there, rather than zeros', () => {
    const model = graphModel(graph, null);
    expect(model.nodes.every((n) => n.entered === null && n.current === null)).toBe(true);
    expect(model.edges.every((e) => e.count === null)).toBe(true);
    expect(model.exited).toBeNull();
  });
});

describe('layeredLayout', () => {
  it('places each layer below the one it comes from, without overlaps', () => {
    const model = graphModel(graph, funnel);
    const boxes = model.nodes.map((n) => ({ id: n.id, ...nodeSize(n.actions.length, n.kind) }));
    const at = layeredLayout(boxes, model.edges);
    const y = (id: string) => at.get(id)?.y ?? NaN;
    expect(y('(entry)')).toBeLessThan(y('waiting'));
    expect(y('waiting')).toBeLessThan(y('rewarded'));
    expect(y('waiting')).toBeLessThan(y('expired'));
    const rewarded = { ...at.get('rewarded')!, ...nodeSize(1, 'end') };
    const expired = { ...at.get('expired')!, ...nodeSize(0, 'end') };
    const apart = rewarded.x + rewarded.width <= expired.x || expired.x + expired.width <= rewarded.x || rewarded.y + rewarded.height <= expired.y || expired.y + expired.height <= rewarded.y;
    expect(apart).toBe(true);
  });
});
