import { compileCampaign } from '../compiler';
import { campaignWith, spendAndPost } from '../testing/campaigns';
import { campaignGraph, ENTRY_NODE } from './campaign-graph';

function planOf(input: unknown) {
  const result = compileCampaign(input, { version: 2 });
  if (!result.ok) throw new Error(`expected the campaign to compile: ${JSON.stringify(result.issues)}`);
  return result.value;
}

const edgeText = (g: ReturnType<typeof campaignGraph>) => g.edges.map((e) => `${e.from} -> ${e.to}: ${e.label}`);

describe('campaignGraph on the CAMPAIGNS.md example', () => {
  const graph = campaignGraph(planOf(spendAndPost()));

  it('has the entry, every state, and end states marked', () => {
    expect(graph.nodes.map((n) => [n.id, n.kind])).toEqual([
      [ENTRY_NODE, 'entry'],
      ['collecting', 'state'],
      ['nudged', 'state'],
      ['rewarded', 'end'],
      ['expired', 'end'],
    ]);
    expect(graph.nodes.filter((n) => n.initial).map((n) => n.id)).toEqual(['collecting']);
    expect({ key: graph.key, version: graph.version }).toEqual({ key: 'spend-and-post', version: 2 });
  });

  it('labels each edge by what fires it, the entry edge by the entry trigger', () => {
    const when = "when any of (all of (sum('order.completed', 'amount') >= 20, count('order.completed') >= 5), all of (count('post.created') >= 10))";
    const edges = edgeText(graph);
    expect(edges[0]).toBe('(entry) -> collecting: order.completed if event.amount > 0');
    expect(edges.slice(1).map((e) => e.replace(/: when .*/, ': when …'))).toEqual([
      'collecting -> rewarded: when …',
      'collecting -> nudged: after 3 days',
      'nudged -> rewarded: when …',
      'nudged -> expired: after 7 days',
    ]);
    // The condition's text is the compiler's, not re-derived here.
    const plan = planOf(spendAndPost());
    const compiled = plan.states.collecting.transitions[0];
    expect(compiled.kind === 'when' && graph.edges[1].label).toBe(compiled.kind === 'when' && `when ${compiled.condition.text}`);
    expect(when.length).toBeGreaterThan(0);
  });

  it('lists actions with their conditions and the group strategy', () => {
    const rewarded = graph.nodes.find((n) => n.id === 'rewarded');
    expect(rewarded?.strategy).toBe('priority');
    expect(rewarded?.actions.map((a) => [a.type, a.text])).toEqual([
      ['coupon', 'coupon from vip-20-off if user.vip == true'],
      ['points', "points: sum('order.completed', 'amount') * 10"],
    ]);
    expect(graph.nodes.find((n) => n.id === 'nudged')?.actions.map((a) => a.text)).toEqual(['push message "almost-there"']);
    expect(graph.nodes.find((n) => n.id === 'collecting')?.actions).toEqual([]);
  });

  it('shows exitOn', () => {
    expect(graph.exitOn).toEqual([{ eventType: 'user.unsubscribed', condition: null, label: 'user.unsubscribed' }]);
  });
});

describe('campaignGraph transition kinds', () => {
  const graph = campaignGraph(
    planOf(
      campaignWith(
        {
          start: {
            transitions: [
              { to: 'paid', on: 'order.paid', if: 'event.amount >= 10' },
              { to: 'late', at: '2027-01-01T00:00:00Z' },
            ],
          },
          paid: { transitions: [{ split: [{ to: 'a', weight: 3 }, { to: 'b', weight: 1 }] }] },
          late: { transitions: [{ to: 'b', on: 'order.paid' }] },
          a: { actions: { strategy: 'parallel', steps: [{ type: 'credit', amount: 5, currency: 'EUR' }, { type: 'webhook', url: 'https://crm.example/hook' }] }, transitions: [{ to: 'b' }] },
          b: { end: true },
        },
        { exitOn: [{ on: 'user.deleted', if: 'event.hard == true' }] },
      ),
    ),
  );

  it('labels on, at, split (one edge per branch, in percent) and immediate edges', () => {
    expect(edgeText(graph)).toEqual([
      '(entry) -> start: order.completed',
      'start -> paid: order.paid if event.amount >= 10',
      'start -> late: at 2027-01-01T00:00:00.000Z',
      'paid -> a: 75%',
      'paid -> b: 25%',
      'late -> b: order.paid',
      'a -> b: right away',
    ]);
    expect(new Set(graph.edges.map((e) => e.id)).size).toBe(graph.edges.length);
    expect(graph.edges.filter((e) => e.kind === 'split').map((e) => e.id)).toEqual(['paid#0/0', 'paid#0/1']);
  });

  it('describes credit and webhook actions and a conditional exit', () => {
    expect(graph.nodes.find((n) => n.id === 'a')?.actions.map((a) => a.text)).toEqual(['credit: 5 EUR', 'webhook crm.example']);
    expect(graph.exitOn).toEqual([{ eventType: 'user.deleted', condition: 'event.hard == true', label: 'user.deleted if event.hard == true' }]);
  });
});
