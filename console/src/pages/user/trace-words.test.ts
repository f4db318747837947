import { heldEntry, retriedEntry } from '../../../../src/domain/machine/held-trace';
import { compiled, TestJourney } from '../../../../src/domain/testing/journey';
import { amount } from '../../ui/numbers';
import { ledgerReachOf, parseInput, traceInWords, valuesWords, type TraceEntry, type TraceFacts } from './trace-words';

// A journey's trace as the engine writes it (taken from a run: an order too small, then one that earns a coupon and points).
const trace: TraceEntry[] = [
  {
    at: '2026-12-02T03:33:41.000Z',
    input: 'event order.completed o-1',
    notes: [
      { kind: 'entered', pathId: 'p1', message: 'entry 1: order.completed o-1' },
      { kind: 'transition', pathId: 'p1', message: '(entry) → shopping: order.completed o-1' },
      {
        kind: 'noTransition',
        pathId: 'p1',
        message: 'shopping: no transition fired',
        candidates: [{ transition: 'shopping → rewarded on order.completed if event.amount >= 20', result: false, failed: [{ text: 'event.amount >= 20', values: { 'event.amount': '5' } }] }],
      },
    ],
  },
  {
    at: '2026-12-02T03:33:42.000Z',
    input: 'event order.completed o-2',
    notes: [
      { kind: 'transition', pathId: 'p1', message: 'shopping → rewarded: shopping → rewarded on order.completed if event.amount >= 20' },
      { kind: 'action', pathId: 'p1', message: 'rewarded/0: coupon from desk-coupons' },
      { kind: 'refused', message: 'already entered 1 time(s); maxEntries is 1' },
    ],
  },
  {
    at: '2026-12-02T03:33:42.500Z',
    input: 'outcome rewarded/0 succeeded',
    notes: [
      { kind: 'outcome', pathId: 'p1', message: 'rewarded/0 succeeded {"rewardId":"r-123","code":"WELCOME-10"}' },
      { kind: 'action', pathId: 'p1', message: 'rewarded/1: 1000000 points from desk-points' },
    ],
  },
  {
    at: '2026-12-02T03:33:43.000Z',
    input: 'outcome rewarded/1 succeeded',
    notes: [
      { kind: 'outcome', pathId: 'p1', message: 'rewarded/1 succeeded {"rewardId":"r-124"}' },
      { kind: 'end', pathId: 'p1', message: 'path ended in rewarded: reached end state rewarded' },
    ],
  },
];

const facts: TraceFacts = {
  campaign: 'welcome',
  rewards: [
    { pathId: 'p1', stepId: 'rewarded/0', type: 'coupon', idempotencyKey: 'welcome:desk-sam:1:p1:rewarded/0', causedBy: ['o-2'], status: 'issued', ledgerStatus: 'issued', result: { rewardId: 'r-123', code: 'WELCOME-10' } },
    { pathId: 'p1', stepId: 'rewarded/1', type: 'points', idempotencyKey: 'welcome:desk-sam:1:p1:rewarded/1', causedBy: ['o-2'], status: 'issued', ledgerStatus: 'issued', result: { rewardId: 'r-124' } },
  ],
  ledger: [
    { id: 'r-123', campaign: 'welcome', kind: 'coupon', code: 'WELCOME-10', status: 'issued', causedBy: ['o-2'] },
    { id: 'r-124', campaign: 'welcome', kind: 'points', amount: 1_000_000, status: 'issued', causedBy: ['o-2'] },
    // Another campaign's reward from the same event: not this journey's to mention.
    { id: 'r-9', campaign: 'other', kind: 'points', amount: 5, status: 'reclaimed', causedBy: ['o-2'] },
  ],
  ledgerReach: 'all',
  events: [
    { id: 'o-2', type: 'order.completed', cancelledAt: null, cancelReason: null },
    { id: 'o-1', type: 'order.completed', cancelledAt: null, cancelReason: null },
  ],
};

const texts = (groups: ReturnType<typeof traceInWords>) => groups.map((g) => [g.cause, ...g.lines.map((l) => l.text)]);

describe('traceInWords', () => {
  it('says each group’s cause once, newest first, with the issued rewards named and no JSON', () => {
    expect(texts(traceInWords(trace, facts))).toEqual([
      ['step rewarded/1 succeeded', `issued ${amount(1_000_000)} points (reward r-124)`, 'ended in rewarded'],
      ['step rewarded/0 succeeded', 'issued coupon WELCOME-10 (reward r-123)', `started step rewarded/1: ${amount(1_000_000)} points from desk-points`],
      [
        'order.completed o-2',
        'moved from shopping to rewarded: on order.completed if event.amount >= 20',
        'started step rewarded/0: coupon from desk-coupons',
        'not entered again: already entered 1 time, and the campaign allows 1 entry',
      ],
      ['order.completed o-1', 'entered the campaign (entry 1)', 'started in shopping', 'stayed in shopping: no transition fired'],
    ]);
  });

  it('keeps the parts of a condition that failed, with their values, on the line that says nothing fired', () => {
    const oldest = traceInWords(trace, facts).at(-1)!;
    expect(oldest.lines[2].failed).toEqual([{ transition: 'shopping → rewarded on order.completed if event.amount >= 20', result: false, failed: [{ text: 'event.amount >= 20', values: { 'event.amount': '5' } }] }]);
  });

  it('names a reward from the journey’s own record when the ledger list does not hold it', () => {
    const groups = traceInWords(trace.slice(2, 3), { ...facts, ledger: [] });
    expect(groups[0].lines[0].text).toBe('issued coupon WELCOME-10 (reward r-123)');
  });

  it('adds the cancel of an event an ended journey never heard of, in its place in time, with what the ledger took back', () => {
    const cancelled: TraceFacts = {
      ...facts,
      ledger: facts.ledger.map((r) => ({ ...r, status: r.campaign === 'welcome' && r.kind === 'coupon' ? 'reclaimed' : r.kind === 'points' ? 'reclaimed' : r.status })),
      events: [{ id: 'o-2', type: 'order.completed', cancelledAt: '2026-12-02T04:00:00.000Z', cancelReason: 'refund 7781' }, facts.events[1]],
    };
    const groups = traceInWords(trace, cancelled);
    expect(groups[0]).toEqual({
      at: '2026-12-02T04:00:00.000Z',
      kind: 'cancellation',
      cause: `order.completed o-2 cancelled by support (refund 7781): coupon WELCOME-10 reclaimed, ${amount(1_000_000)} points reclaimed`,
      lines: [],
    });
    expect(groups).toHaveLength(trace.length + 1);
  });

  const told: TraceEntry = {
    at: '2026-12-02T04:00:01.000Z',
    input: 'cancel o-2',
    notes: [
      { kind: 'cancel', pathId: 'p2', message: 'event o-2 no longer counts in shopping' },
      { kind: 'cancel', message: 'event o-2 cancelled: reclaiming welcome:desk-sam:1:p1:rewarded/0, welcome:desk-sam:1:p1:rewarded/1' },
    ],
  };
  const cancelled: TraceFacts = { ...facts, events: [{ id: 'o-2', type: 'order.completed', cancelledAt: '2026-12-02T04:00:00.000Z', cancelReason: null }] };
  const cancelCause = (f: TraceFacts, entries = [...trace, told]) => traceInWords(entries, f).find((g) => g.kind === 'cancellation')!.cause;

  it('says a cancel the running journey noted itself once, in the same words, without the idempotency keys', () => {
    const groups = traceInWords([...trace, told], cancelled);
    const cancels = groups.filter((g) => g.kind === 'cancellation');
    expect(cancels).toEqual([
      {
        at: told.at,
        kind: 'cancellation',
        cause: `order.completed o-2 cancelled by support: coupon WELCOME-10 being taken back, ${amount(1_000_000)} points being taken back`,
        lines: [{ text: 'no longer counts toward shopping' }],
      },
    ]);
    expect(JSON.stringify(groups)).not.toContain('reclaiming');
  });

  it('names what a running journey reclaimed from its own records when the desk’s rewards list lacks it, never "nothing"', () => {
    // The rewards list failed, has not come, or is the newest 200 of more: the journey's note still names what it reclaims.
    for (const ledgerReach of ['failed', 'unread', 'newest', 'all'] as const) {
      expect(cancelCause({ ...cancelled, ledger: [], ledgerReach })).toBe('order.completed o-2 cancelled by support: coupon WELCOME-10 being taken back, points being taken back');
    }
    // Only the rewards its note names: the journey's note lists one key, of two records the event caused.
    const one: TraceEntry = { ...told, notes: [{ kind: 'cancel', message: 'event o-2 cancelled: reclaiming welcome:desk-sam:1:p1:rewarded/1' }] };
    expect(cancelCause({ ...cancelled, ledger: [], ledgerReach: 'failed' }, [one])).toBe('order.completed o-2 cancelled by support: points being taken back');
    // The ledger's status where the journey's record has it: reclaimed once the ledger says so.
    const settled = { ...cancelled, ledger: [], ledgerReach: 'failed' as const, rewards: cancelled.rewards.map((r) => ({ ...r, status: 'reclaimed', ledgerStatus: 'reclaimed' })) };
    expect(cancelCause(settled)).toBe('order.completed o-2 cancelled by support: coupon WELCOME-10 reclaimed, points reclaimed');
  });

  it('says what a cancel took back is not known when neither the journey nor a whole ledger can say, rather than "nothing"', () => {
    const ended: TraceFacts = { ...cancelled, rewards: [], ledger: [] };
    expect(cancelCause({ ...ended, ledgerReach: 'failed' }, trace)).toBe('order.completed o-2 cancelled by support: what it took back is not known here (the rewards list could not be read)');
    expect(cancelCause({ ...ended, ledgerReach: 'unread' }, trace)).toBe('order.completed o-2 cancelled by support: what it took back is not known here (the rewards list has not come yet)');
    const newest = { ...ended, ledger: [{ id: 'r-1', campaign: 'welcome', kind: 'points', amount: 1, status: 'issued', causedBy: ['o-9'] }], ledgerReach: 'newest' as const };
    expect(cancelCause(newest, trace)).toBe('order.completed o-2 cancelled by support: what it took back is not known here (not among the newest 1 reward the desk reads)');
    // A running journey that reclaims rewards neither its records nor the ledger name.
    expect(cancelCause({ ...ended, ledgerReach: 'failed' })).toBe('order.completed o-2 cancelled by support: rewards being taken back, not named here (the rewards list could not be read)');
    // The whole ledger, read, lists nothing the event caused: then nothing it is.
    expect(cancelCause({ ...ended, ledgerReach: 'all' }, trace)).toBe('order.completed o-2 cancelled by support: nothing to take back');
  });

  it('names what an ended journey’s event took back from the journey’s own records when the ledger list lacks it', () => {
    const ended: TraceFacts = { ...cancelled, ledger: [], ledgerReach: 'newest', rewards: cancelled.rewards.map((r) => ({ ...r, status: 'reclaimed', ledgerStatus: 'reclaimed' })) };
    expect(cancelCause(ended, trace)).toBe('order.completed o-2 cancelled by support: coupon WELCOME-10 reclaimed, points reclaimed');
    // A record that never reached the ledger (refused, or released by the cancel) took nothing back.
    const never = { ...ended, ledgerReach: 'failed' as const, rewards: cancelled.rewards.map((r) => ({ ...r, status: 'notIssued', ledgerStatus: null })) };
    expect(cancelCause(never, trace)).toBe('order.completed o-2 cancelled by support: what it took back is not known here (the rewards list could not be read)');
  });

  it('says a cancel that reached the journey twice, or took nothing back', () => {
    const again: TraceEntry = { at: '2026-12-02T05:00:00.000Z', input: 'cancel o-1', notes: [{ kind: 'ignored', message: 'event o-1 was already cancelled' }] };
    expect(traceInWords([again], facts)[0].cause).toBe('order.completed o-1 cancelled again: nothing more to do');
    const nothing: TraceEntry = { at: '2026-12-02T05:00:00.000Z', input: 'cancel o-1', notes: [{ kind: 'cancel', message: 'event o-1 cancelled: no reward to reclaim' }] };
    expect(traceInWords([nothing], facts)[0]).toMatchObject({ cause: 'order.completed o-1 cancelled by support: nothing to take back', lines: [] });
    // The journey's own word: true whatever the desk's rewards list holds.
    expect(traceInWords([nothing], { ...facts, ledger: [], ledgerReach: 'failed' })[0].cause).toBe('order.completed o-1 cancelled by support: nothing to take back');
  });

  it('says why an exit or a cancel stopped a message or webhook', () => {
    const entry: TraceEntry = {
      at: '2026-12-02T05:00:00.000Z',
      input: 'outcome notify-crm skipped',
      notes: [{ kind: 'outcome', pathId: 'p1', message: 'notify-crm skipped {"stopped":"its causing event o-1 was cancelled"}' }],
    };
    expect(texts(traceInWords([entry], facts))).toEqual([['step notify-crm skipped', 'stopped: its causing event o-1 was cancelled']]);
  });

  it('words other steps’ answers, and keeps a message it does not know as the engine wrote it', () => {
    const entry: TraceEntry = {
      at: '2026-12-02T05:00:00.000Z',
      input: 'outcome notify-crm/0 skipped',
      notes: [
        { kind: 'outcome', pathId: 'p1', message: 'notify-crm/0 skipped {"skippedBy":"operator"}' },
        { kind: 'waiting', pathId: 'p1', message: 'shopping: actions still running; transitions wait (the event still counts in aggregates)' },
      ],
    };
    expect(texts(traceInWords([entry], facts))).toEqual([['step notify-crm/0 skipped', 'skipped by an operator', 'shopping: actions still running; transitions wait (the event still counts in aggregates)']]);
  });
});

describe('traceInWords: held steps and an archived campaign', () => {
  it('says a step was held and why, an operator\'s retry, and an archive', () => {
    const entries: TraceEntry[] = [
      {
        at: '2026-12-02T06:00:00.000Z',
        input: 'held notify-crm',
        notes: [{ kind: 'held', pathId: 'p1', message: 'notify-crm: webhook POST https://crm.example/hook failed for good: the receiver answered 400; held until an operator retries or skips it' }],
      },
      { at: '2026-12-02T06:05:00.000Z', input: 'operator retry notify-crm', notes: [{ kind: 'action', pathId: 'p1', message: 'an operator retried notify-crm: webhook POST https://crm.example/hook' }] },
      { at: '2026-12-02T06:10:00.000Z', input: 'campaign archived', notes: [{ kind: 'waiting', message: 'the campaign was archived: the journey ends when its path ends' }] },
    ];
    expect(texts(traceInWords(entries, facts))).toEqual([
      ['the campaign was archived', 'the campaign was archived: the journey ends when its path ends'],
      ['an operator retried step notify-crm', 'runs again: notify-crm: webhook POST https://crm.example/hook'],
      ['step notify-crm failed for good and waits for an operator', 'notify-crm: webhook POST https://crm.example/hook: the receiver answered 400 (retry or skip it on the Held steps page)'],
    ]);
  });
});

/**
 * The desk words the journey's notes by reading them back, so the engine's
 * wording is a contract between the two. These tests feed the trace the real
 * state machine writes (and the entries the workflow writes for held steps),
 * not copies of it: a change of wording on either side that the desk no
 * longer reads fails here, instead of reaching support agents as raw engine
 * text.
 */
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

/** Each group's cause and lines, oldest first (the order the journey wrote them). */
const engineWords = (trace: TraceEntry[], f: TraceFacts = facts) => texts(traceInWords(trace, f)).reverse();

describe('traceInWords reads the trace the journey writes', () => {
  it('an entry, a transition that did not fire, one that did with an entry refused, rewards issued and the end', () => {
    const j = new TestJourney(compiled(campaign));
    j.event('order.completed', { amount: 5 }, { id: 'o-1' });
    j.wait(1).event('order.completed', { amount: 25 }, { id: 'o-2' });
    j.wait(1).outcome('rewarded/0', 'succeeded', { rewardId: 'r-123', code: 'WELCOME-10' });
    j.wait(1).outcome('rewarded/1', 'succeeded', { rewardId: 'r-124' });

    expect(engineWords(j.state.trace)).toEqual([
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

  it('an operator\'s exit: where the path was and why, not an end state of that name', () => {
    const j = new TestJourney(compiled(campaign));
    j.event('order.completed', { amount: 5 }, { id: 'o-1' });
    j.wait(1).exit('reached end state shopping');
    const lines = engineWords(j.state.trace).at(-1)!;
    expect(lines.at(-1)).toBe('exited while in shopping (exit: reached end state shopping)');
  });

  it('a cancel that takes an event out of a waiting path\'s sum, and the same cancel again', () => {
    const summing = { ...campaign, states: { ...campaign.states, shopping: { transitions: [{ to: 'rewarded', when: "sum('order.completed', 'amount') >= 20" }] } } };
    const j = new TestJourney(compiled(summing));
    j.event('order.completed', { amount: 5 }, { id: 'o-1' });
    j.wait(1).cancel('o-1');
    j.wait(1).cancel('o-1');
    const cancelled: TraceFacts = { ...facts, rewards: [], ledger: [], events: [{ id: 'o-1', type: 'order.completed', cancelledAt: new Date(j.now).toISOString(), cancelReason: 'refund 7781' }] };
    expect(engineWords(j.state.trace, cancelled).slice(1)).toEqual([
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

    expect(engineWords(trace).slice(1)).toEqual([
      ['step rewarded/0 failed for good and waits for an operator', 'rewarded/0: coupon from desk-coupons: the pool desk-coupons does not exist (retry or skip it on the Held steps page)'],
      ['an operator retried step rewarded/0', 'runs again: rewarded/0: coupon from desk-coupons'],
      ['the campaign was archived', 'the campaign was archived: the journey ends when its path ends'],
    ]);
  });
});

describe('ledgerReachOf', () => {
  it('tells a rewards list read whole from one cut short, not read yet, or failed', () => {
    expect(ledgerReachOf({ rewards: [1, 2], total: 2 }, false)).toBe('all');
    expect(ledgerReachOf({ rewards: [], total: 0 }, false)).toBe('all');
    expect(ledgerReachOf({ rewards: [1, 2], total: 250 }, false)).toBe('newest');
    // A list once read stays what it was when a later refresh fails.
    expect(ledgerReachOf({ rewards: [1], total: 1 }, true)).toBe('all');
    expect(ledgerReachOf(undefined, false)).toBe('unread');
    expect(ledgerReachOf(undefined, true)).toBe('failed');
  });
});

describe('parseInput', () => {
  it('reads back each kind of input the journey names', () => {
    expect(parseInput('event order.completed o 1')).toEqual({ kind: 'event', type: 'order.completed', id: 'o 1' });
    expect(parseInput('outcome rewarded/0 exhausted')).toEqual({ kind: 'outcome', stepId: 'rewarded/0', outcome: 'exhausted' });
    expect(parseInput('cancel o-1')).toEqual({ kind: 'cancel', eventId: 'o-1' });
    expect(parseInput('timer p1/waiting/1/1')).toEqual({ kind: 'timer', timerId: 'p1/waiting/1/1' });
    expect(parseInput('scheduled entry t-1')).toEqual({ kind: 'scheduled', tickId: 't-1' });
    expect(parseInput('exit operator')).toEqual({ kind: 'exit', reason: 'operator' });
    expect(parseInput('held notify-crm')).toEqual({ kind: 'held', stepId: 'notify-crm' });
    expect(parseInput('operator retry notify-crm')).toEqual({ kind: 'retried', stepId: 'notify-crm' });
    expect(parseInput('campaign archived')).toEqual({ kind: 'archived' });
    expect(parseInput('something new')).toEqual({ kind: 'other', text: 'something new' });
  });
});

describe('valuesWords', () => {
  it('lists the values a condition read, numbers grouped and text as read', () => {
    expect(valuesWords({ "sum('order.completed','amount')": '1000000', 'event.kind': '"gift"' })).toBe(`sum('order.completed','amount') = ${amount(1_000_000)}, event.kind = "gift"`);
    expect(valuesWords({})).toBe('no values');
  });

  it('shows a number as it was compared, never rounded into one that would have passed', () => {
    // sum('order.completed','amount') >= 0.8 over orders of 0.7 and 0.1 is false: the sum is not 0.8.
    const words = valuesWords({ s: String(0.7 + 0.1) });
    expect(words).not.toBe('s = 0.8');
    expect(words).toMatch(/^s = 0.7999999999999999$/);
  });
});
