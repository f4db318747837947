import { renderJourney, type JourneyView } from './journey-render';

const journey: JourneyView = {
  workflowId: 'journey:spend:u-1',
  campaignKey: 'spend',
  campaignVersion: 2,
  userId: 'u-1',
  status: 'active',
  endReason: null,
  entries: 1,
  states: ['collecting'],
  paths: [{ pathId: 'p1', entryNo: 1, state: 'collecting', enteredAt: 't0', stateEnteredAt: 't0', aggregates: { "sum('order.completed','amount')": 12 }, steps: {}, timers: [{ timerId: 'after-P3D', fireAt: 't3' }] }],
  finished: [],
  rewards: [],
  held: [],
  trace: [
    {
      at: 't1',
      input: 'event ord-2 (order.completed)',
      notes: [
        {
          kind: 'transition',
          pathId: 'p1',
          message: 'no transition fired',
          candidates: [{ transition: 'collecting -> rewarded', result: false, failed: [{ text: "sum('order.completed', 'amount') >= 20", values: { "sum('order.completed', 'amount')": '12' } }] }],
        },
      ],
    },
  ],
  run: 1,
  runId: '00000000-0000-4000-8000-000000000001',
  temporalStatus: 'RUNNING',
  temporalUrl: null,
};

describe('renderJourney', () => {
  it('shows where each path is, its timers and aggregates, and why a transition did not fire with the values', () => {
    const text = renderJourney(journey).join('\n');
    expect(text).toContain('spend v2 · user u-1 · active · entries 1');
    expect(text).toContain('p1 (entry 1): in collecting since t0');
    expect(text).toContain('timer after-P3D fires at t3');
    expect(text).toContain("aggregates: sum('order.completed','amount') = 12");
    expect(text).toContain("not yet collecting -> rewarded\n        failed: sum('order.completed', 'amount') >= 20 (sum('order.completed', 'amount') = 12)");
    expect(text).not.toContain('held steps');
  });

  it('lists held steps and rewards when there are some', () => {
    const text = renderJourney({
      ...journey,
      held: [{ pathId: 'p1', stepId: 's1', summary: 'webhook', error: '400 Bad Request', since: 't2' }],
      rewards: [{ pathId: 'p1', stepId: 'points-1', type: 'points', causedBy: ['ord-1'], status: 'issued', idempotencyKey: 'journey:spend:u-1/p1/points-1', ledgerStatus: 'issued' }],
    }).join('\n');
    expect(text).toContain('p1 s1: webhook: 400 Bad Request (since t2)');
    expect(text).toContain('points points-1 (issued) caused by ord-1');
    // The summary as the engine writes it, starting with the step id: the id is said once.
    const engine = renderJourney({ ...journey, held: [{ pathId: 'p1', stepId: 'notify', summary: 'notify: webhook http://crm/hook', error: 'HTTP 400', since: 't3' }] }).join('\n');
    expect(engine).toContain('p1 notify: webhook http://crm/hook: HTTP 400 (since t3)');
  });

  it('tells a path that reached an end state from one that exited, even when an exit gives the words an end state would', () => {
    const text = renderJourney({
      ...journey,
      finished: [
        { pathId: 'p1', entryNo: 1, state: 'rewarded', endedAt: 't4', reason: 'reached end state rewarded', ending: 'end-state' },
        { pathId: 'p2', entryNo: 2, state: 'collecting', endedAt: 't5', reason: 'reached end state rewarded', ending: 'exit' },
      ],
    }).join('\n');
    expect(text).toContain('p1 (entry 1): ended in rewarded at t4\n');
    expect(text).toContain('p2 (entry 2): exited while in collecting at t5 (reached end state rewarded)');
  });
});

describe('renderJourney: the run it was read from', () => {
  it('names the run beside the workflow, for journeys retry, skip and exit --run-id', () => {
    expect(renderJourney(journey)[1]).toBe('workflow journey:spend:u-1 run 00000000-0000-4000-8000-000000000001 (RUNNING)');
  });

  it('leaves it out for an older Kairos that did not say it', () => {
    const { runId: _runId, ...older } = journey;
    expect(renderJourney(older)[1]).toBe('workflow journey:spend:u-1 (RUNNING)');
  });
});
