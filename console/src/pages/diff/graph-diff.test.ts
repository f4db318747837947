import type { ApiGraph, ApiGraphEdge, ApiGraphNode } from '../campaign/graph-model';
import { graphDiff } from './graph-diff';

const node = (id: string, over: Partial<ApiGraphNode> = {}): ApiGraphNode => ({ id, kind: 'state', label: id, initial: false, strategy: null, actions: [], steps: [], temporalUrl: null, ...over });
const edge = (from: string, to: string, label: string, order = 0, kind = 'on'): ApiGraphEdge => ({ id: `${from}:${order}`, from, to, kind, label, order });
const points = (text: string) => ({ stepId: text, type: 'points', text });

const v1: ApiGraph = {
  nodes: [node('(entry)', { kind: 'entry' }), node('collecting', { initial: true }), node('nudged', { actions: [{ stepId: 'm', type: 'message', text: 'push almost-there' }] }), node('rewarded', { kind: 'end', strategy: 'serial', actions: [points('50 points')] })],
  edges: [
    edge('(entry)', 'collecting', 'order.completed', 0, 'entry'),
    edge('collecting', 'rewarded', 'when count(order.completed) >= 5', 0, 'when'),
    edge('collecting', 'nudged', 'after P3D', 1, 'after'),
    edge('nudged', 'rewarded', 'order.completed', 0),
  ],
  exitOn: [{ eventType: 'user.unsubscribed', condition: null, label: 'user.unsubscribed' }],
};

describe('graphDiff: two versions of a campaign as one graph with changes marked', () => {
  it('marks nothing between a version and itself', () => {
    const d = graphDiff(v1, v1);
    expect(d.counts).toEqual({ added: 0, removed: 0, changed: 0 });
    expect(new Set([...d.nodes, ...d.edges].map((x) => x.change))).toEqual(new Set(['same']));
    expect(d.nodes.map((n) => n.id)).toEqual(['(entry)', 'collecting', 'nudged', 'rewarded']);
  });

  it('finds added, removed and changed states and transitions, with the change in words', () => {
    const v2: ApiGraph = {
      nodes: [
        node('(entry)', { kind: 'entry' }),
        node('collecting', { initial: true }),
        node('rewarded', { kind: 'end', strategy: 'priority', actions: [points('100 points'), { stepId: 'c', type: 'coupon', text: 'coupon vip' }] }),
        node('expired', { kind: 'end' }),
      ],
      edges: [
        edge('(entry)', 'collecting', 'order.completed', 0, 'entry'),
        edge('collecting', 'rewarded', 'when count(order.completed) >= 3', 0, 'when'),
        edge('collecting', 'expired', 'after P7D', 1, 'after'),
      ],
      exitOn: [{ eventType: 'order.refunded', condition: null, label: 'order.refunded' }],
    };
    const d = graphDiff(v1, v2);
    const byId = Object.fromEntries(d.nodes.map((n) => [n.id, n]));
    expect(byId.expired.change).toBe('added');
    expect(byId.nudged.change).toBe('removed');
    expect(byId.collecting.change).toBe('same');
    expect(byId.rewarded).toMatchObject({ change: 'changed', notes: ['+ 100 points', '+ coupon vip', '− 50 points', 'strategy serial → priority'] });
    const edges = Object.fromEntries(d.edges.map((e) => [`${e.source}>${e.target}`, e]));
    expect(edges['collecting>rewarded']).toMatchObject({ change: 'changed', label: 'when count(order.completed) >= 3', before: 'when count(order.completed) >= 5' });
    expect(edges['collecting>expired'].change).toBe('added');
    expect(edges['collecting>nudged'].change).toBe('removed');
    expect(edges['nudged>rewarded'].change).toBe('removed');
    expect(edges['(entry)>collecting'].change).toBe('same');
    expect(d.exitOn).toEqual([
      { label: 'order.refunded', change: 'added' },
      { label: 'user.unsubscribed', change: 'removed' },
    ]);
    // expired + its edge added; nudged + two edges removed; rewarded + one edge changed.
    expect(d.counts).toEqual({ added: 2, removed: 3, changed: 2 });
  });

  it('matches transitions between the same two states by their rank, and says when a state became an end or the initial one', () => {
    const before: ApiGraph = { nodes: [node('a', { initial: true }), node('b')], edges: [edge('a', 'b', 'x.happened', 0), edge('a', 'b', 'after P1D', 1, 'after')], exitOn: [] };
    const after: ApiGraph = { nodes: [node('a'), node('b', { initial: true, kind: 'end' })], edges: [edge('a', 'b', 'x.happened', 0)], exitOn: [] };
    const d = graphDiff(before, after);
    expect(d.edges.map((e) => [e.id, e.change])).toEqual([
      ['a→b#0', 'same'],
      ['a→b#1', 'removed'],
    ]);
    expect(d.nodes.find((n) => n.id === 'b')?.notes).toEqual(['now an end state', 'now the initial state']);
    expect(d.nodes.find((n) => n.id === 'a')?.notes).toEqual(['no longer the initial state']);
  });
});
