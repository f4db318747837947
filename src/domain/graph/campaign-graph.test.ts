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

  it('labels each edge by what fires it in words, the entry edge by the entry trigger', () => {
    expect(edgeText(graph)).toEqual([
      '(entry) -> collecting: order.completed if event.amount > 0',
      "collecting -> rewarded: when (sum('order.completed', 'amount') >= 20 or count('order.completed') >= 5) and count('post.created') >= 10",
      'collecting -> nudged: after 3 days',
      "nudged -> rewarded: when (sum('order.completed', 'amount') >= 20 or count('order.completed') >= 5) and count('post.created') >= 10",
      'nudged -> expired: after 7 days',
    ]);
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

  it('labels on, at (in the campaign zone, UTC when it has none), split (one edge per branch, a share of users) and immediate edges', () => {
    expect(edgeText(graph)).toEqual([
      '(entry) -> start: order.completed',
      'start -> paid: order.paid if event.amount >= 10',
      'start -> late: at 1 Jan 2027, 00:00 (UTC)',
      'paid -> a: 75% of users',
      'paid -> b: 25% of users',
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

describe('campaignGraph in words: a cron entry, an at in the campaign zone, atLeast', () => {
  const plan = (entry: unknown) =>
    planOf(
      campaignWith(
        {
          start: {
            transitions: [
              { to: 'done', when: { atLeast: 2, of: ["count('order.completed') >= 3", { fact: "sum('order.completed', 'amount')", op: 'gte', value: 20 }, 'user.vip == true'] } },
              { to: 'done', at: '2026-12-01T09:00:00+08:00' },
            ],
          },
          done: { actions: { steps: [{ type: 'points', amount: 1, if: { atLeast: 1, of: ['user.vip == true', 'user.level >= 3'] } }] }, end: true },
        },
        { entry, schedule: { timezone: 'Asia/Shanghai' }, exitOn: [{ on: 'user.left', if: { any: ['event.hard == true', 'event.soft == true'] } }] },
      ),
    );

  it('says a common cron shape in words with its zone, another as its cron text', () => {
    expect(campaignGraph(plan({ cron: '0 9 * * 1', timezone: 'Europe/Paris' })).edges[0].label).toBe('every Monday at 09:00 (Europe/Paris)');
    // Without entry.timezone the cron runs in the campaign's zone.
    expect(campaignGraph(plan({ cron: '30 8 1 * *' })).edges[0].label).toBe('on the 1st of every month at 08:30 (Asia/Shanghai)');
    expect(campaignGraph(plan({ cron: '0 9 1-7 * 1' })).edges[0].label).toBe('on cron 0 9 1-7 * 1 (Asia/Shanghai)');
  });

  it('says atLeast and an at in words, and action and exit conditions likewise', () => {
    const graph = campaignGraph(plan({ on: 'order.completed' }));
    expect(edgeText(graph).slice(1)).toEqual([
      "start -> done: when at least 2 of (count('order.completed') >= 3; sum('order.completed', 'amount') >= 20; user.vip == true)",
      'start -> done: at 1 Dec 2026, 09:00 (Asia/Shanghai)',
    ]);
    expect(graph.nodes.find((n) => n.id === 'done')?.actions.map((a) => a.text)).toEqual(['points: 1 if at least 1 of (user.vip == true; user.level >= 3)']);
    expect(graph.exitOn.map((e) => e.label)).toEqual(['user.left if event.hard == true or event.soft == true']);
  });
});

describe('campaignGraph nested action groups', () => {
  const graph = campaignGraph(
    planOf(
      campaignWith({
        start: {
          actions: {
            strategy: 'parallel',
            steps: [
              { type: 'points', amount: 5 },
              { strategy: 'priority', if: 'user.level >= 2', steps: [{ type: 'coupon', pool: 'gold', if: 'user.vip == true' }, { strategy: 'serial', steps: [{ type: 'coupon', pool: 'silver' }, { type: 'message', channel: 'push', template: 't' }] }] },
            ],
          },
          transitions: [{ to: 'done' }],
        },
        done: { end: true },
      }),
    ),
  );

  it('keeps which alternatives belong together: each group a row, its steps after it one level deeper', () => {
    const start = graph.nodes.find((n) => n.id === 'start')!;
    expect(start.strategy).toBe('parallel');
    expect(start.steps.map((r) => `${'  '.repeat(r.depth)}${r.kind}: ${r.text}`)).toEqual([
      'action: points: 5',
      'group: priority: first that succeeds if user.level >= 2',
      '  action: coupon from gold if user.vip == true',
      '  group: serial: in order',
      '    action: coupon from silver',
      '    action: push message "t"',
    ]);
    // The flat list stays as it was, for what reads actions alone.
    expect(start.actions.map((a) => a.text)).toEqual(['points: 5', 'coupon from gold if user.vip == true', 'coupon from silver', 'push message "t"']);
    expect(graph.nodes.find((n) => n.id === 'done')?.steps).toEqual([]);
  });
});

describe('campaignGraph says what changes what is issued', () => {
  const rewardedWith = (steps: unknown[]) =>
    campaignGraph(planOf(campaignWith({ start: { actions: { strategy: 'serial', steps }, transitions: [{ to: 'done' }] }, done: { end: true } })))
      .nodes.find((n) => n.id === 'start')!
      .actions.map((a) => a.text);

  it("names a points or credit step's budget pool, and a coupon's unlessHolding", () => {
    expect(
      rewardedWith([
        { type: 'points', amount: 50, pool: 'loyalty', if: 'user.vip == true' },
        { type: 'credit', amount: 5, currency: 'EUR', pool: 'eur-budget' },
        { type: 'coupon', pool: 'welcome', unlessHolding: true },
        { type: 'coupon', pool: 'welcome', unlessHolding: false },
      ]),
    ).toEqual(['points: 50 from pool loyalty if user.vip == true', 'credit: 5 EUR from pool eur-budget', 'coupon from welcome (unless the user holds one)', 'coupon from welcome']);
  });

  it('tells two steps apart that differ only there', () => {
    expect(rewardedWith([{ type: 'points', amount: 50, pool: 'loyalty' }])).not.toEqual(rewardedWith([{ type: 'points', amount: 50, pool: 'vip-budget' }]));
    expect(rewardedWith([{ type: 'coupon', pool: 'welcome' }])).not.toEqual(rewardedWith([{ type: 'coupon', pool: 'welcome', unlessHolding: true }]));
  });
});

describe("campaignGraph says the state's action group's own `if`", () => {
  const graph = campaignGraph(
    planOf(
      campaignWith({
        start: { actions: { strategy: 'serial', steps: [{ type: 'points', amount: 5 }] }, transitions: [{ to: 'welcomed', on: 'order.completed' }] },
        welcomed: { actions: { if: 'user.vip == true', steps: [{ type: 'points', amount: 500 }] }, end: true },
      }),
    ),
  );
  const byId = (id: string) => graph.nodes.find((n) => n.id === id)!;

  it('on the node, in words: without it a reward only VIPs get reads as given to everyone', () => {
    expect(JSON.stringify(byId('welcomed'))).toContain('user.vip == true');
    expect(byId('welcomed')).toMatchObject({ strategy: 'serial', condition: 'user.vip == true', actions: [{ text: 'points: 500' }] });
  });

  it('is null without one, and on the entry', () => {
    expect(byId('start').condition).toBeNull();
    expect(byId(ENTRY_NODE).condition).toBeNull();
  });
});
