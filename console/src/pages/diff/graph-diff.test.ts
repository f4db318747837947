import fc from 'fast-check';
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
      const targets = (transitions as Array<{ to?: string; split?: Array<{ to: string }> }>).flatMap((t) => (t.split ? t.split.map((b) => b.to) : [t.to ?? '']));
      const ends = Object.fromEntries(targets.map((to) => [to, { end: true }]));
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

    it('still marks a move when the transition that moved also had its condition edited (the only one between its two states)', () => {
      const web = { ...app, if: "event.channel == 'web'" };
      const d = graphDiff(waiting([big, app]), waiting([web, big]));
      expect(d.edges.filter((e) => e.moved !== null).map((e) => [e.target, e.moved])).toEqual([['app', 'now checked before → big']]);
      expect(d.edges.filter((e) => e.change !== 'same').map((e) => [e.target, e.before, e.label])).toEqual([['app', "order.completed if event.channel == 'app'", "order.completed if event.channel == 'web'"]]);
      expect(d.counts).toEqual({ added: 0, removed: 0, changed: 1 });
      // The edited one stayed and the other passed it: the one that passed is marked, the edited one changed for its condition.
      const e = graphDiff(waiting([big, app]), waiting([app, { ...big, if: 'event.amount >= 200' }]));
      expect(e.edges.filter((x) => x.change !== 'same').map((x) => [x.target, x.before, x.moved])).toEqual([
        ['app', null, 'now checked before → big'],
        ['big', 'order.completed if event.amount >= 100', null],
      ]);
    });

    it('names the transition by its trigger when several lead to the same state', () => {
      const vipBig = { to: 'big', on: 'order.completed', if: 'user.vip == true' };
      const d = graphDiff(waiting([big, vipBig, app]), waiting([app, big, vipBig]));
      expect(d.edges.filter((e) => e.change !== 'same').map((e) => [e.target, e.moved])).toEqual([['app', 'now checked before → big (order.completed if event.amount >= 100), → big (order.completed if user.vip == true)']]);
    });

    describe('one of two transitions between the same two states removed or added: matched by trigger, not by rank', () => {
      const vipBig = { to: 'big', on: 'order.completed', if: 'user.vip == true' };

      it('removing the first of the two leaves the other, and what comes between, as they were', () => {
        const d = graphDiff(waiting([big, app, vipBig]), waiting([app, vipBig]));
        expect(d.edges.find((e) => e.target === 'app')?.moved).toBeNull();
        expect(d.counts).toEqual({ added: 0, removed: 1, changed: 0 });
        expect(d.edges.filter((e) => e.change !== 'same').map((e) => [e.target, e.change, e.label])).toEqual([['big', 'removed', 'order.completed if event.amount >= 100']]);
      });

      it('adding one in front of them is one added, the others untouched', () => {
        const d = graphDiff(waiting([app, vipBig]), waiting([big, app, vipBig]));
        expect(d.counts).toEqual({ added: 1, removed: 0, changed: 0 });
        expect(d.edges.filter((e) => e.change !== 'same').map((e) => [e.target, e.change, e.label, e.before, e.moved])).toEqual([['big', 'added', 'order.completed if event.amount >= 100', null, null]]);
      });

      it("removing a branch in front of a split leaves the split's branches and the branch between as they were", () => {
        const vip = { to: 'A', if: 'user.vip == true' };
        const gold = { to: 'C', if: "user.tier == 'gold'" };
        const split = { split: [{ to: 'A', weight: 30 }, { to: 'B', weight: 70 }] };
        const d = graphDiff(waiting([vip, gold, split]), waiting([gold, split]));
        expect(d.counts).toEqual({ added: 0, removed: 1, changed: 0 });
        expect(d.edges.filter((e) => e.change !== 'same').map((e) => [e.target, e.change, e.label])).toEqual([['A', 'removed', 'if user.vip == true']]);
      });

      it('a changed trigger with nothing to match it by is still matched by rank, and not said to move', () => {
        const d = graphDiff(waiting([big, app, vipBig]), waiting([app, { ...vipBig, if: 'user.vip == false' }]));
        expect(d.counts).toEqual({ added: 0, removed: 1, changed: 1 });
        expect(d.edges.filter((e) => e.change === 'changed').map((e) => [e.target, e.before, e.label, e.moved])).toEqual([['big', 'order.completed if event.amount >= 100', 'order.completed if user.vip == false', null]]);
      });
    });
  });

  describe('transitions that are never checked for the same input: their order decides nothing', () => {
    const waiting = (transitions: unknown[]): ApiGraph => {
      const ends = Object.fromEntries((transitions as Array<{ to: string }>).map((t) => [t.to, { end: true }]));
      const compiled = compileCampaign(campaignWith({ waiting: { transitions }, ...ends }, { initial: 'waiting' }), { version: 1 });
      if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
      const g = campaignGraph(compiled.value);
      return { nodes: g.nodes.map((n) => ({ ...n, temporalUrl: null })), edges: g.edges, exitOn: g.exitOn };
    };
    const bought = { to: 'big', on: 'order.completed' };
    const opened = { to: 'app', on: 'app.opened' };
    const late = { to: 'late', after: 'P7D' };
    const vip = { to: 'vip', when: 'user.vip == true' };
    const gold = { to: 'gold', if: "user.tier == 'gold'" };

    it('does not mark `on` transitions of two event types swapped', () => {
      expect(graphDiff(waiting([bought, opened]), waiting([opened, bought])).counts.changed).toBe(0);
    });

    it('does not mark an `on` and a branch (checked on arrival only) swapped', () => {
      expect(graphDiff(waiting([bought, gold, late]), waiting([gold, bought, late])).counts.changed).toBe(0);
    });

    it('marks an `on` swapped with a `when` or a timer, which are checked on its events too, and a branch with a `when`', () => {
      expect(graphDiff(waiting([bought, vip]), waiting([vip, bought])).edges.filter((e) => e.change === 'changed').map((e) => [e.target, e.moved])).toEqual([['vip', 'now checked before → big']]);
      expect(graphDiff(waiting([bought, late]), waiting([late, bought])).counts.changed).toBe(1);
      expect(graphDiff(waiting([gold, vip, late]), waiting([vip, gold, late])).counts.changed).toBe(1);
    });

    it('marks only what passed one it competes with, and names only those', () => {
      // `late` (a timer, checked with every input) passed both; `big` and `app` swapped too, but never compete.
      const d = graphDiff(waiting([bought, opened, late]), waiting([late, opened, bought]));
      expect(d.edges.filter((e) => e.change !== 'same').map((e) => [e.target, e.moved])).toEqual([['late', 'now checked before → app, → big']]);
      // `big` passed `late` and `app` both; only `late` competes with it.
      const e = graphDiff(waiting([opened, late, bought]), waiting([bought, opened, late]));
      expect(e.edges.filter((x) => x.change !== 'same').map((x) => [x.target, x.moved])).toEqual([['big', 'now checked before → late']]);
    });
  });

  it('marks the fewest transitions, so that no two left unmarked that may be checked for one input are in another order', () => {
    // Which pairs compete, as the journey machine picks its candidates: an `on` with those of its event type, a branch on arrival, a `when` or a timer with all.
    const kinds = [
      ['on', 'x.happened'],
      ['on', 'y.happened if event.n > 1'],
      ['when', 'when count(x.happened) >= 2'],
      ['after', 'after 3 days'],
      ['immediate', 'if user.vip == true'],
    ] as const;
    const lane = (k: number) => (kinds[k][0] === 'on' ? kinds[k][1].split(' ')[0] : kinds[k][0] === 'immediate' ? 'arrival' : 'any');
    const compete = (x: number, y: number) => lane(x) === lane(y) || lane(x) === 'any' || lane(y) === 'any';
    const states = fc.integer({ min: 1, max: 7 }).chain((n) => fc.tuple(fc.array(fc.integer({ min: 0, max: kinds.length - 1 }), { minLength: n, maxLength: n }), fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n })));
    fc.assert(
      fc.property(states, ([kindOf, newRank]) => {
        const graph = (rank: (i: number) => number): ApiGraph => ({ nodes: [node('s'), ...kindOf.map((_, i) => node(`t${i}`))], edges: kindOf.map((k, i) => edge('s', `t${i}`, kinds[k][1], rank(i), kinds[k][0])), exitOn: [] });
        const d = graphDiff(graph((i) => i), graph((i) => newRank[i]));
        const marked = new Set(d.edges.filter((e) => e.change === 'changed').map((e) => Number(e.target.slice(1))));
        const clash = (i: number, j: number) => compete(kindOf[i], kindOf[j]) && (i - j) * (newRank[i] - newRank[j]) < 0;
        const allRight = (out: Set<number>) => kindOf.every((_, i) => out.has(i) || kindOf.every((__, j) => out.has(j) || !clash(i, j)));
        expect(allRight(marked)).toBe(true);
        for (const i of marked) expect(kindOf.some((_, j) => clash(i, j))).toBe(true);
        let fewest = kindOf.length;
        for (let m = 0; m < 1 << kindOf.length; m++) {
          const out = new Set(kindOf.map((_, i) => i).filter((i) => m & (1 << i)));
          if (out.size < fewest && allRight(out)) fewest = out.size;
        }
        expect(marked.size).toBe(fewest);
      }),
      { numRuns: 500 },
    );
  });
});
