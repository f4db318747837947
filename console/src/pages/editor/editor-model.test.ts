import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import { conditionText, editorModel } from './editor-model';

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
  it('draws one edge per transition and one per split branch, with readable labels', () => {
    const m = editorModel(def, []);
    expect(m.edges.map((e) => [e.id, e.to])).toEqual([
      ['a#0', 'b'],
      ['a#1#0', 'b'],
      ['a#1#1', 'c'],
    ]);
    expect(m.edges[1].label).toBe('split 1');
    expect(m.nodes.find((n) => n.id === 'b')).toMatchObject({ end: true, initial: false, strategy: 'priority', actions: ['50 points from p', 'coupon from c'] });
    expect(m.nodes.find((n) => n.id === 'a')?.initial).toBe(true);
  });

  it('reads the 2-D notation as "(x or y) and z", and shortens long labels', () => {
    expect(conditionText([['x', 'y'], ['z']])).toBe('(x or y) and z');
    expect(editorModel(def, []).edges[0].label.endsWith('…')).toBe(true);
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
});
