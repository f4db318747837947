import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import { stepTree } from '../campaign/graph-model';
import { conditionText, editorModel, stepRows } from './editor-model';

const def = {
  key: 'k',
  name: 'K',
  entry: { on: 'order.completed' },
  initial: 'a',
  states: {
    a: {
      transitions: [
        { to: 'b', when: [["sum('order.completed', 'amount') >= 20", "count('order.completed') >= 5"], ["count('post.created') >= 10"]] },
        { split: [{ to: 'b', weight: 1 }, { to: 'c', weight: 3 }] },
      ],
    },
    b: { actions: { strategy: 'priority', steps: [{ type: 'points', amount: 50, pool: 'p' }, { type: 'coupon', pool: 'c' }] }, end: true },
    c: { end: true },
  },
} as CampaignInput;

describe('the editor model', () => {
  it("gives each transition its place in its state's order when the state has more than one (the first that fires wins)", () => {
    const m = editorModel(def, []);
    expect(m.edges.map((e) => [e.id, e.rank])).toEqual([
      ['a#0', 1],
      ['a#1#0', 2],
      ['a#1#1', 2],
    ]);
    const one = { ...def, states: { ...def.states, a: { transitions: [{ to: 'b', on: 'order.completed' }] } } } as CampaignInput;
    expect(editorModel(one, []).edges[0].rank).toBeNull();
  });

  it('draws one edge per transition and one per split branch, with readable labels', () => {
    const m = editorModel(def, []);
    expect(m.edges.map((e) => [e.id, e.to])).toEqual([
      ['a#0', 'b'],
      ['a#1#0', 'b'],
      ['a#1#1', 'c'],
    ]);
    expect(m.edges.slice(1).map((e) => e.label)).toEqual(['25% of users', '75% of users']);
    expect(m.nodes.find((n) => n.id === 'b')).toMatchObject({ end: true, initial: false, strategy: 'priority', actions: ['50 points from p', 'coupon from c'] });
    expect(m.nodes.find((n) => n.id === 'a')?.initial).toBe(true);
  });

  it('draws a nested group as a list of its own, as the campaign graph does, not as one line', () => {
    const rows = stepRows([
      { type: 'points', amount: 5 },
      { strategy: 'priority', steps: [{ type: 'coupon', pool: 'vip' }, { steps: [{ type: 'webhook', url: 'https://crm.example/h' }] }, { type: 'credit', amount: 2, currency: 'EUR' }] },
      { type: 'message', channel: 'push', template: 'thanks' },
    ]);
    expect(rows.map((r) => [r.stepId, r.depth, r.kind, r.text])).toEqual([
      ['1', 0, 'action', '5 points'],
      ['2', 0, 'group', 'priority: first that succeeds'],
      ['2.1', 1, 'action', 'coupon from vip'],
      ['2.2', 1, 'group', 'serial: in order'],
      ['2.2.1', 2, 'action', 'webhook https://crm.example/h'],
      ['2.3', 1, 'action', '2 EUR credit'],
      ['3', 0, 'action', 'push message thanks'],
    ]);
    const show = (items: ReturnType<typeof stepTree>): unknown => items.map((i) => (i.row.kind === 'group' ? { [i.row.text]: show(i.children) } : i.row.text));
    expect(show(stepTree(rows))).toEqual([
      '5 points',
      { 'priority: first that succeeds': ['coupon from vip', { 'serial: in order': ['webhook https://crm.example/h'] }, '2 EUR credit'] },
      'push message thanks',
    ]);
    expect(editorModel(def, []).nodes.find((n) => n.id === 'b')?.steps.map((r) => r.text)).toEqual(['50 points from p', 'coupon from c']);
  });

  it('reads the 2-D notation as "(x or y) and z", and shortens long labels', () => {
    expect(conditionText([['event.x == 1', 'event.y == 2'], ['event.z == 3']])).toBe('(event.x == 1 or event.y == 2) and event.z == 3');
    expect(editorModel(def, []).edges[0].label.endsWith('…')).toBe(true);
  });

  it('says JSON-tree conditions (atLeast, fact/op/value on an aggregate) in words, not as JSON', () => {
    expect(conditionText({ atLeast: 2, of: ["count('order.completed') >= 3", { fact: "sum('order.completed', 'amount')", op: 'gte', value: 20 }, 'user.vip == true'] })).toBe(
      "at least 2 of (count('order.completed') >= 3; sum('order.completed', 'amount') >= 20; user.vip == true)",
    );
    expect(conditionText({ fact: "sum('order.completed', 'amount')", op: 'gte', value: 20 })).toBe("sum('order.completed', 'amount') >= 20");
    // Not compiling yet (an unknown operator being typed): as written.
    expect(conditionText('event.amount >>= 2')).toBe('event.amount >>= 2');
  });

  it('says an at in the campaign zone (UTC without one), and a split branch by its weight while the weights are being typed', () => {
    const timed = (schedule?: { timezone: string }) =>
      ({ ...def, ...(schedule ? { schedule } : {}), states: { a: { transitions: [{ to: 'c', at: '2026-12-01T09:00:00+08:00' }, { split: [{ to: 'c', weight: 30 }, { to: 'c', weight: '' }] }] }, c: { end: true } } }) as CampaignInput;
    expect(editorModel(timed({ timezone: 'Asia/Shanghai' }), []).edges.map((e) => e.label)).toEqual(['at 1 Dec 2026, 09:00 (Asia/Shanghai)', 'split weight 30', 'split weight ']);
    expect(editorModel(timed(), []).edges[0].label).toBe('at 1 Dec 2026, 01:00 (UTC)');
  });

  it('puts each compiler issue on the node, edge or campaign field its path names', () => {
    const m = editorModel(def, [
      { path: 'states.a.transitions[0].when[1][0]', message: 'bad' },
      { path: 'states.b.actions.steps[0].pool', message: 'no pool' },
      { path: 'entry.on', message: 'no event' },
    ]);
    expect(m.edges.find((e) => e.id === 'a#0')?.issues.map((i) => i.message)).toEqual(['bad']);
    expect(m.edges.find((e) => e.id === 'a#1#0')?.issues).toEqual([]);
    expect(m.nodes.find((n) => n.id === 'b')?.issues.map((i) => i.message)).toEqual(['no pool']);
    expect(m.campaignIssues.map((i) => i.target)).toEqual([{ kind: 'campaign', field: 'entry', rest: 'on' }]);
  });

  it("puts an issue of one split branch on that branch's edge alone, and one of the whole split on every branch", () => {
    const zero = { ...def, states: { ...def.states, a: { transitions: [{ split: [{ to: 'b', weight: 50 }, { to: 'c', weight: 0 }] }] } } } as CampaignInput;
    const m = editorModel(zero, [
      { path: 'states.a.transitions[0].split[1].weight', message: 'A branch weight must be more than 0' },
      { path: 'states.a.transitions[0]', message: 'whole split' },
    ]);
    expect(m.edges.find((e) => e.id === 'a#0#0')?.issues.map((i) => i.message)).toEqual(['whole split']);
    expect(m.edges.find((e) => e.id === 'a#0#1')?.issues.map((i) => i.message)).toEqual(['A branch weight must be more than 0', 'whole split']);
  });
});

describe('the editor model of a definition the canvas was not meant to get', () => {
  it('draws what it can instead of throwing: it runs in the editor\'s own render, which holds the unsaved draft', () => {
    const odd = { key: 'k', name: 'n', entry: { on: 'a' }, initial: 'a', states: { a: null, b: { transitions: [null, { split: null }, { to: 'a', on: 'x' }], actions: { steps: null } } } };
    expect(() => editorModel(odd as never, [])).not.toThrow();
    const m = editorModel(odd as never, []);
    expect(m.nodes.map((n) => [n.id, n.actions])).toEqual([
      ['a', []],
      ['b', []],
    ]);
    expect(m.edges.map((e) => e.id)).toEqual(['b#2']);
    expect(editorModel({ key: 'k' } as never, []).nodes).toEqual([]);
  });

  it('reads an at no date has (an epoch in micro- or nanoseconds, typed in the JSON tab) as written, instead of throwing', () => {
    const at = (value: unknown) => ({ key: 'k', name: 'n', entry: { on: 'a' }, initial: 'a', states: { a: { transitions: [{ to: 'a', at: value }] } } }) as never;
    expect(() => editorModel(at(1e16), [])).not.toThrow();
    expect(editorModel(at(9_000_000_000_000_000), []).edges[0].label).toBe('at 9000000000000000');
    expect(editorModel(at(1e16), []).edges[0].label).toBe('at 10000000000000000');
    // A timestamp past year 275760: as written.
    expect(editorModel(at('+275761-01-01T00:00:00.000Z'), []).edges[0].label).toBe('at +275761-01-01T00:00:00.000Z');
  });
});

describe('the canvas labels its edges as the campaign graph does', () => {
  it('says an unconditional immediate transition "right away"', () => {
    const m = editorModel({ key: 'k', name: 'n', entry: { on: 'a' }, initial: 'a', states: { a: { transitions: [{ to: 'b' }, { to: 'b', if: 'user.vip == true' }] }, b: { end: true } } } as never, []);
    expect(m.edges.map((e) => e.label)).toEqual(['right away', 'if user.vip == true']);
  });
});

describe("the canvas says a step's or a group's `if` and a coupon's unlessHolding, in the campaign graph's words", () => {
  const gated = (actions: unknown) => ({ key: 'k', name: 'n', entry: { on: 'a' }, initial: 'a', states: { a: { actions, end: true } } }) as never;

  it("draws a top group with an `if` as a group whose head says it: none of its actions is issued when it does not hold", () => {
    const m = editorModel(gated({ if: 'user.vip == true', steps: [{ type: 'coupon', pool: 'vip' }] }), []);
    const node = m.nodes[0];
    expect(node.condition).toBe('user.vip == true');
    expect(node.steps.map((r) => [r.depth, r.kind, r.text])).toEqual([
      [0, 'group', 'serial: in order if user.vip == true'],
      [1, 'action', 'coupon from vip'],
    ]);
    expect(stepTree(node.steps)[0].children.map((c) => c.row.text)).toEqual(['coupon from vip']);
    // Without an `if`, the steps are the node's own rows, as before.
    expect(editorModel(gated({ steps: [{ type: 'coupon', pool: 'vip' }] }), []).nodes[0]).toMatchObject({ condition: null, steps: [{ depth: 0, text: 'coupon from vip' }] });
  });

  it("says a step's `if`, a nested group's `if`, and a coupon's unlessHolding", () => {
    const rows = stepRows([
      { type: 'points', amount: 50, if: 'user.vip == true' },
      { type: 'coupon', pool: 'welcome', unlessHolding: true },
      { strategy: 'priority', if: [['user.vip == true', "count('order.completed') >= 5"]], steps: [{ type: 'coupon', pool: 'gold' }] },
    ]);
    expect(rows.map((r) => r.text)).toEqual([
      '50 points if user.vip == true',
      'coupon from welcome (unless the user holds one)',
      "priority: first that succeeds if user.vip == true or count('order.completed') >= 5",
      'coupon from gold',
    ]);
  });
});
