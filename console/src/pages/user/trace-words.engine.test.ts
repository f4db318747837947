/**
 * The support desk words the journey's notes by reading them back, so the
 * engine's wording is a contract between the two. These tests feed the
 * trace the real state machine writes (and the entries the workflow writes
 * for held steps), not copies of it: a change of wording on either side
 * that the desk no longer reads fails here, instead of reaching support
 * agents as raw engine text.
 */
import { heldEntry, retriedEntry } from '../../../../src/domain/machine/held-trace';
import { compiled, TestJourney } from '../../../../src/domain/testing/journey';
import { amount } from '../../ui/numbers';
import { traceInWords, type TraceEntry, type TraceFacts } from './trace-words';

const campaign = {
  key: 'welcome',
  name: 'Welcome',
  entry: { on: 'order.completed' },
  initial: 'shopping',
  states: {
    shopping: { transitions: [{ to: 'rewarded', on: 'order.completed', if: 'event.amount >= 20' }] },
    rewarded: {
      actions: {
        steps: [
          { type: 'coupon', pool: 'desk-coupons' },
          { type: 'points', amount: 1_000_000, pool: 'desk-points' },
        ],
      },
      end: true,
    },
  },
};

const facts: TraceFacts = {
  campaign: 'welcome',
  rewards: [
    { pathId: 'p1', stepId: 'rewarded/0', type: 'coupon', causedBy: ['o-2'], result: { rewardId: 'r-123', code: 'WELCOME-10' } },
    { pathId: 'p1', stepId: 'rewarded/1', type: 'points', causedBy: ['o-2'], result: { rewardId: 'r-124' } },
  ],
  ledger: [
    { id: 'r-123', campaign: 'welcome', kind: 'coupon', code: 'WELCOME-10', status: 'issued', causedBy: ['o-2'] },
    { id: 'r-124', campaign: 'welcome', kind: 'points', amount: 1_000_000, status: 'issued', causedBy: ['o-2'] },
  ],
  events: [
    { id: 'o-2', type: 'order.completed', cancelledAt: null, cancelReason: null },
    { id: 'o-1', type: 'order.completed', cancelledAt: null, cancelReason: null },
  ],
};

/** Each group's cause and lines, oldest first (the order the journey wrote them). */
const words = (trace: TraceEntry[], f: TraceFacts = facts) => traceInWords(trace, f).map((g) => [g.cause, ...g.lines.map((l) => l.text)]).reverse();

describe('traceInWords reads the trace the journey writes', () => {
  it('an entry, a transition that did not fire, one that did with an entry refused, rewards issued and the end', () => {
    const j = new TestJourney(compiled(campaign));
    j.event('order.completed', { amount: 5 }, { id: 'o-1' });
    j.wait(1).event('order.completed', { amount: 25 }, { id: 'o-2' });
    j.wait(1).outcome('rewarded/0', 'succeeded', { rewardId: 'r-123', code: 'WELCOME-10' });
    j.wait(1).outcome('rewarded/1', 'succeeded', { rewardId: 'r-124' });

    expect(words(j.state.trace)).toEqual([
      ['order.completed o-1', 'entered the campaign (entry 1)', 'started in shopping', 'stayed in shopping: no transition fired'],
      [
        'order.completed o-2',
        'moved from shopping to rewarded: on order.completed if event.amount >= 20',
        'started step rewarded/0: coupon from desk-coupons',
        'not entered again: already entered 1 time, and the campaign allows 1 entry',
      ],
      ['step rewarded/0 succeeded', 'issued coupon WELCOME-10 (reward r-123)', `started step rewarded/1: ${amount(1_000_000)} points from desk-points`],
      ['step rewarded/1 succeeded', `issued ${amount(1_000_000)} points (reward r-124)`, 'ended in rewarded'],
    ]);
    // The condition's failed part travels with the line that says nothing fired.
    expect(traceInWords(j.state.trace, facts).at(-1)!.lines[2].failed?.[0].failed).toEqual([{ text: 'event.amount >= 20', values: { 'event.amount': '5' } }]);
  });

  it('a cancel that takes an event out of a waiting path\'s sum, and the same cancel again', () => {
    const summing = { ...campaign, states: { ...campaign.states, shopping: { transitions: [{ to: 'rewarded', when: "sum('order.completed', 'amount') >= 20" }] } } };
    const j = new TestJourney(compiled(summing));
    j.event('order.completed', { amount: 5 }, { id: 'o-1' });
    j.wait(1).cancel('o-1');
    j.wait(1).cancel('o-1');
    const cancelled: TraceFacts = { ...facts, rewards: [], ledger: [], events: [{ id: 'o-1', type: 'order.completed', cancelledAt: new Date(j.now).toISOString(), cancelReason: 'refund 7781' }] };
    expect(words(j.state.trace, cancelled).slice(1)).toEqual([
      ['order.completed o-1 cancelled by support (refund 7781): nothing to take back', 'no longer counts toward shopping'],
      ['order.completed o-1 cancelled again: nothing more to do'],
    ]);
  });

  it('a step held for an operator, the operator\'s retry, and the campaign archived', () => {
    const j = new TestJourney(compiled(campaign));
    j.event('order.completed', { amount: 25 }, { id: 'o-2' });
    const step = { pathId: 'p1', stepId: 'rewarded/0', summary: j.runningActions()[0].summary };
    const trace = [
      ...j.state.trace,
      heldEntry(step, 'the pool desk-coupons does not exist', '2026-11-21T10:01:00.000Z'),
      retriedEntry(step, '2026-11-21T10:02:00.000Z'),
    ];
    j.wait(180).campaignArchived();
    trace.push(j.state.trace.at(-1)!);

    expect(words(trace).slice(1)).toEqual([
      ['step rewarded/0 failed for good and waits for an operator', 'rewarded/0: coupon from desk-coupons: the pool desk-coupons does not exist (retry or skip it on the Held steps page)'],
      ['an operator retried step rewarded/0', 'runs again: rewarded/0: coupon from desk-coupons'],
      ['the campaign was archived', 'the campaign was archived: the journey ends when its path ends'],
    ]);
  });
});
