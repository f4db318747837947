import type { CampaignInput } from '../campaign/schema';
import { compileCampaign } from '../compiler';
import { spendAndPost } from '../testing/campaigns';
import { targetOf, targetsOf } from './issue-targets';

const seed = () => spendAndPost() as CampaignInput;

/** The compiler's own issues for a broken definition, mapped: the paths are not written by hand. */
function targetsFor(def: CampaignInput) {
  const result = compileCampaign(def);
  if (result.ok) throw new Error('expected the campaign to be refused');
  return targetsOf(def, result.issues).map((i) => i.target);
}

describe('compiler path → canvas element', () => {
  it('a bad condition in the 2-D array of a transition: the edge, its field and the cell', () => {
    const def = seed();
    (def.states.collecting.transitions![0].when as string[][])[1][0] = "count('post.created') >= 'ten'";
    expect(targetsFor(def)).toEqual([{ kind: 'transition', state: 'collecting', index: 0, field: 'when', rest: '[1][0]' }]);
  });

  it('an unknown target state: the edge, field `to`', () => {
    const def = seed();
    def.states.nudged.transitions![1].to = 'gone';
    expect(targetsFor(def)).toContainEqual({ kind: 'transition', state: 'nudged', index: 1, field: 'to', rest: '' });
  });

  it('a bad step, also inside nested groups: the action chip and its field', () => {
    const def = seed();
    def.states.rewarded.actions = { strategy: 'priority', steps: [{ steps: [{ type: 'points', amount: 'sum(1)' }] }] };
    expect(targetsFor(def)).toEqual([{ kind: 'action', state: 'rewarded', steps: [0, 0], field: 'amount', rest: '' }]);
  });

  it('a state with no way out: the state node', () => {
    const def = seed();
    def.states.expired = {};
    const targets = targetsFor(def);
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) expect(t).toMatchObject({ kind: 'state', state: 'expired' });
  });

  it('campaign fields: entry, participation (the shape is checked before the conditions, so one at a time)', () => {
    const def = seed();
    def.entry = { on: 'order.completed', if: 'event.amount >' };
    expect(targetsFor(def)).toEqual([{ kind: 'campaign', field: 'entry', rest: 'if' }]);
    const other = seed();
    other.participation = { maxEntries: 0 };
    expect(targetsFor(other)).toEqual([{ kind: 'campaign', field: 'participation', rest: 'maxEntries' }]);
  });

  it('state names with dots are read with the definition: the longest state name that fits', () => {
    const def = seed();
    def.states['tier.gold'] = { end: true };
    def.states.tier = { end: true };
    expect(targetOf(def, 'states.tier.gold.actions.steps[2].pool')).toEqual({ kind: 'action', state: 'tier.gold', steps: [2], field: 'pool', rest: '' });
    expect(targetOf(def, 'states.tier.end')).toEqual({ kind: 'state', state: 'tier', field: 'end', rest: '' });
    expect(targetOf(def, 'states.tier.gold')).toEqual({ kind: 'state', state: 'tier.gold', field: null, rest: '' });
    expect(targetOf(undefined, 'states.x.transitions[0].split[1].weight')).toEqual({ kind: 'transition', state: 'x', index: 0, branch: 1, field: 'weight', rest: '' });
    expect(targetOf(undefined, '')).toEqual({ kind: 'campaign', field: null, rest: '' });
    expect(targetOf(undefined, 'exitOn[0].if')).toEqual({ kind: 'campaign', field: 'exitOn', rest: '[0].if' });
  });
});
