import { compileCampaign } from '../../../../src/domain/compiler';
import { campaignGraph } from '../../../../src/domain/graph/campaign-graph';
import { campaignWith } from '../../../../src/domain/testing/campaigns';
import type { ApiGraph, ApiGraphEdge, ApiGraphNode, ApiStepRow } from '../campaign/graph-model';
import { graphDiff } from './graph-diff';

// The API gives a state's actions twice: flat (`actions`) and with their groups (`steps`); a flat list is its own steps at depth 0.
const flat = (actions: ApiGraphNode['actions']): ApiStepRow[] => actions.map((a) => ({ stepId: a.stepId, depth: 0, kind: 'action', type: a.type, strategy: null, text: a.text }));
const node = (id: string, over: Partial<ApiGraphNode> = {}): ApiGraphNode => ({ id, kind: 'state', label: id, initial: false, strategy: null, condition: null, actions: [], temporalUrl: null, ...over, steps: over.steps ?? flat(over.actions ?? []) });
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

  describe('a state whose actions read the same but are grouped otherwise', () => {
    const coupon = { stepId: 'r/0/0', type: 'coupon', text: 'coupon from vip' };
    const fifty = { stepId: 'r/0/1', type: 'points', text: 'points: 50' };
    const row = (depth: number, kind: 'action' | 'group', text: string, strategy: string | null = null): ApiStepRow => ({ stepId: `${depth}:${text}`, depth, kind, type: kind === 'action' ? 'points' : null, strategy, text });
    const group = (strategy: 'priority' | 'parallel', condition?: string) => row(0, 'group', `${strategy}: ${strategy === 'priority' ? 'first that succeeds' : 'all at once'}${condition ? ` if ${condition}` : ''}`, strategy);
    /** One version of a campaign whose `rewarded` state has these steps (and the same flat actions and top strategy whatever they are). */
    const version = (steps: ApiStepRow[], actions = [coupon, fifty]): ApiGraph => ({ nodes: [node('rewarded', { kind: 'end', strategy: 'serial', actions, steps })], edges: [], exitOn: [] });
    const rewarded = (a: ApiGraph, b: ApiGraph) => graphDiff(a, b).nodes[0];
    const inPriority = version([group('priority'), row(1, 'action', coupon.text), row(1, 'action', fifty.text)]);

    it('says a nested group went from priority (the first that succeeds) to parallel (all of them)', () => {
      const inParallel = version([group('parallel'), row(1, 'action', coupon.text), row(1, 'action', fifty.text)]);
      expect(rewarded(inPriority, inParallel)).toMatchObject({ change: 'changed', notes: ['group 1: priority → parallel'] });
      expect(graphDiff(inPriority, inParallel).counts.changed).toBe(1);
    });

    it("says a group's `if` added, removed or changed", () => {
      const vip = version([group('priority', 'user.vip == true'), row(1, 'action', coupon.text), row(1, 'action', fifty.text)]);
      const gold = version([group('priority', 'user.tier == gold'), row(1, 'action', coupon.text), row(1, 'action', fifty.text)]);
      expect(rewarded(inPriority, vip).notes).toEqual(['group 1: + if user.vip == true']);
      expect(rewarded(vip, inPriority).notes).toEqual(['group 1: − if user.vip == true']);
      expect(rewarded(vip, gold).notes).toEqual(['group 1: if user.vip == true → if user.tier == gold']);
    });

    it('says an action moved into or out of a nested group', () => {
      const outside = version([row(0, 'action', coupon.text), group('priority'), row(1, 'action', fifty.text)]);
      expect(rewarded(outside, inPriority).notes).toEqual(['coupon from vip: moved into a nested group']);
      expect(rewarded(inPriority, outside).notes).toEqual(['coupon from vip: moved out of a nested group']);
    });

    it('counts equal actions: one of two the same removed is a change', () => {
      const ten = { stepId: 't', type: 'points', text: 'points: 10' };
      const twice = version([row(0, 'action', ten.text), row(0, 'action', ten.text)], [ten, ten]);
      const once = version([row(0, 'action', ten.text)], [ten]);
      expect(rewarded(twice, once)).toMatchObject({ change: 'changed', notes: ['− points: 10'] });
    });
  });

  describe('two versions that issue differently while every other field reads the same (graphs as the API draws them)', () => {
    /** The API's graph of a campaign whose `rewarded` state has this one step. */
    const rewarding = (step: Record<string, unknown>): ApiGraph => {
      const compiled = compileCampaign(campaignWith({ start: { transitions: [{ to: 'rewarded', on: 'order.completed' }] }, rewarded: { actions: { steps: [step] }, end: true } }), { version: 1 });
      if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
      const g = campaignGraph(compiled.value);
      return { nodes: g.nodes.map((n) => ({ ...n, temporalUrl: null })), edges: g.edges, exitOn: g.exitOn };
    };

    it("counts a points step's budget pool changed", () => {
      const d = graphDiff(rewarding({ type: 'points', amount: 50, pool: 'loyalty' }), rewarding({ type: 'points', amount: 50, pool: 'vip-budget' }));
      expect(d.counts).toEqual({ added: 0, removed: 0, changed: 1 });
      expect(d.nodes.find((n) => n.id === 'rewarded')?.notes).toEqual(['+ points: 50 from pool vip-budget', '− points: 50 from pool loyalty']);
    });

    it("counts the state's group `if` added, removed or changed, every action reading the same", () => {
      const group = (actions: Record<string, unknown>): ApiGraph => {
        const compiled = compileCampaign(campaignWith({ start: { transitions: [{ to: 'rewarded', on: 'order.completed' }] }, rewarded: { actions, end: true } }), { version: 1 });
        if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
        const g = campaignGraph(compiled.value);
        return { nodes: g.nodes.map((n) => ({ ...n, temporalUrl: null })), edges: g.edges, exitOn: g.exitOn };
      };
      const steps = [{ type: 'points', amount: 500 }];
      const everyone = group({ steps });
      const vip = group({ if: 'user.vip == true', steps });
      const gold = group({ if: "user.tier == 'gold'", steps });
      expect(graphDiff(everyone, vip).counts).toEqual({ added: 0, removed: 0, changed: 1 });
      expect(graphDiff(everyone, vip).nodes.find((n) => n.id === 'rewarded')?.notes).toEqual(['actions: + if user.vip == true']);
      expect(graphDiff(vip, everyone).nodes.find((n) => n.id === 'rewarded')?.notes).toEqual(['actions: − if user.vip == true']);
      expect(graphDiff(vip, gold).nodes.find((n) => n.id === 'rewarded')?.notes).toEqual(["actions: if user.vip == true → if user.tier == 'gold'"]);
      expect(graphDiff(vip, vip).counts.changed).toBe(0);
    });

    it("counts a credit step's pool and a coupon's unlessHolding changed", () => {
      expect(graphDiff(rewarding({ type: 'credit', amount: 5, currency: 'EUR' }), rewarding({ type: 'credit', amount: 5, currency: 'EUR', pool: 'eur-budget' })).counts.changed).toBe(1);
      const d = graphDiff(rewarding({ type: 'coupon', pool: 'welcome' }), rewarding({ type: 'coupon', pool: 'welcome', unlessHolding: true }));
      expect(d.counts.changed).toBe(1);
      expect(d.nodes.find((n) => n.id === 'rewarded')?.notes).toEqual(['+ coupon from welcome (unless the user holds one)', '− coupon from welcome']);
    });
  });

  describe("a state's transitions in another order: the first that fires wins, so which one fires can change", () => {
    /** The API's graph of a campaign whose `waiting` state has these transitions, in this order. */
    const waiting = (transitions: unknown[]): ApiGraph => {
      const ends = Object.fromEntries((transitions as Array<{ to: string }>).map((t) => [t.to, { end: true }]));
      const compiled = compileCampaign(campaignWith({ waiting: { transitions }, ...ends }, { initial: 'waiting' }), { version: 1 });
      if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
      const g = campaignGraph(compiled.value);
      return { nodes: g.nodes.map((n) => ({ ...n, temporalUrl: null })), edges: g.edges, exitOn: g.exitOn };
    };
    const big = { to: 'big', on: 'order.completed', if: 'event.amount >= 100' };
    const app = { to: 'app', on: 'order.completed', if: "event.channel == 'app'" };
    const late = { to: 'late', after: 'P7D' };

    it('marks a swap of two changed, saying which now comes first', () => {
      const d = graphDiff(waiting([big, app, late]), waiting([app, big, late]));
      expect(d.counts).toEqual({ added: 0, removed: 0, changed: 1 });
      expect(d.edges.filter((e) => e.change === 'changed').map((e) => [e.target, e.label, e.before, e.moved])).toEqual([['app', "order.completed if event.channel == 'app'", null, 'now checked before → big']]);
      expect(d.edges.find((e) => e.target === 'late')?.change).toBe('same');
    });

    it('marks only the transition that moved, with every one it passed', () => {
      const d = graphDiff(waiting([big, app, late]), waiting([late, big, app]));
      expect(d.edges.filter((e) => e.change !== 'same').map((e) => [e.target, e.change, e.moved])).toEqual([['late', 'changed', 'now checked before → big, → app']]);
      expect(graphDiff(waiting([late, big, app]), waiting([big, app, late])).edges.filter((e) => e.change !== 'same').map((e) => [e.target, e.moved])).toEqual([['late', 'now checked after → big, → app']]);
    });

    it('does not call the rest moved when one before them is removed or added', () => {
      // The state `late` and the transition to it: the other two keep their order, their places shifted by one.
      expect(graphDiff(waiting([late, big, app]), waiting([big, app])).counts).toEqual({ added: 0, removed: 2, changed: 0 });
      expect(graphDiff(waiting([big, app]), waiting([late, big, app])).counts).toEqual({ added: 2, removed: 0, changed: 0 });
      expect(graphDiff(waiting([big, app, late]), waiting([big, app, late])).counts).toEqual({ added: 0, removed: 0, changed: 0 });
    });

    it('names the transition by its trigger when several lead to the same state', () => {
      const vipBig = { to: 'big', on: 'order.completed', if: 'user.vip == true' };
      const d = graphDiff(waiting([big, vipBig, app]), waiting([app, big, vipBig]));
      expect(d.edges.filter((e) => e.change !== 'same').map((e) => [e.target, e.moved])).toEqual([['app', 'now checked before → big (order.completed if event.amount >= 100), → big (order.completed if user.vip == true)']]);
    });
  });
});
