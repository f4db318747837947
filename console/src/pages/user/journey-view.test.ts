import { KairosApiError } from '../../api';
import { lightenToFit } from '../../../../src/domain/machine/carry-weight';
import { jsonBytes } from '../../../../src/domain/json-size';
import { compiled, TestJourney } from '../../../../src/domain/testing/journey';
import { enteredWords, isUnreadable, journeyBadge, journeyClosed, runMark, TRACE_FALLBACK_MS, TRACE_KEPT, traceCutNote, traceRefreshMs } from './journey-view';
import { traceMark, type UserJourney } from './trace-mark';

const running: UserJourney = {
  workflowId: 'journey:spring:u-42',
  runId: '00000000-0000-4000-8000-000000000042',
  campaign: 'spring',
  version: 1,
  state: 'shopping',
  status: 'running',
  journeyStatus: 'active',
  held: 0,
  entries: 1,
  enteredAt: '2026-05-12T00:00:00Z',
  closedAt: null,
  temporalUrl: null,
};
/** What the listing says of a run that failed before loading its campaign (PlanDoesNotCompile): it could not be asked. */
const unreadFailed: UserJourney = { ...running, state: null, status: 'failed', journeyStatus: null, entries: null, closedAt: '2026-05-12T00:00:01Z' };
const unreadable = new KairosApiError(409, { error: { code: 'journey_unreadable', message: 'Journey spring/u-42 cannot be read: asking again will not change it.', details: [] } });

describe('a journey card the listing could not read', () => {
  it('draws a failed, terminated or timed-out run in the error colour, never the running one', () => {
    expect(journeyBadge(unreadFailed)).toEqual({ tone: 'error', text: 'failed' });
    expect(journeyBadge({ ...unreadFailed, status: 'terminated' })).toEqual({ tone: 'error', text: 'terminated' });
    expect(journeyBadge({ ...unreadFailed, status: 'timed_out' })).toEqual({ tone: 'error', text: 'timed out' });
  });

  it('draws a run that completed or was cancelled as ended, and a running one it could not ask as neither running nor failed', () => {
    expect(journeyBadge({ ...unreadFailed, status: 'completed' })).toEqual({ tone: 'ended', text: 'completed' });
    expect(journeyBadge({ ...unreadFailed, status: 'canceled' }).tone).toBe('ended');
    expect(journeyBadge({ ...running, journeyStatus: null }).tone).toBe('neutral');
  });

  it('draws a failed or terminated run in the error colour even when it answered where it was', () => {
    expect(journeyBadge({ ...running, status: 'terminated', closedAt: '2026-05-12T00:00:01Z' })).toEqual({ tone: 'error', text: 'terminated' });
    expect(journeyBadge({ ...running, status: 'failed', journeyStatus: 'ended' }).tone).toBe('error');
  });

  it('holds "cannot be read" for the run it was said of: a new run of the journey is another mark', () => {
    expect(runMark(unreadFailed)).toBe(runMark({ ...unreadFailed, state: 'x', held: 3 } as UserJourney));
    expect(runMark(running)).not.toBe(runMark(unreadFailed));
    expect(runMark({ ...unreadFailed, closedAt: '2026-05-13T00:00:00Z' })).not.toBe(runMark(unreadFailed));
  });

  it('keeps what the journey itself says when it answered', () => {
    expect(journeyBadge(running)).toEqual({ tone: 'ok', text: 'active' });
    expect(journeyBadge({ ...running, held: 2 })).toEqual({ tone: 'held', text: 'active' });
    expect(journeyBadge({ ...running, journeyStatus: 'ended', status: 'completed' })).toEqual({ tone: 'ended', text: 'ended' });
  });

  it('claims no entry: the time the listing gives is only when the run started', () => {
    expect(enteredWords(unreadFailed, '12/5/2026')).not.toMatch(/entered/);
    expect(enteredWords(running, '12/5/2026')).toBe('entered 12/5/2026');
    expect(enteredWords({ entries: 0 }, '12/5/2026')).toBe('not entered (tried 12/5/2026)');
  });

  it('is not asked for its trace again: a closed run does not change, and a 409 journey_unreadable will not either', () => {
    expect(journeyClosed(unreadFailed)).toBe(true);
    expect(traceRefreshMs(unreadFailed, false)).toBeUndefined();
    expect(traceRefreshMs({ ...unreadFailed, closedAt: null }, false)).toBeUndefined(); // the status alone says it is over
    expect(traceRefreshMs(running, true)).toBeUndefined();
    expect(traceRefreshMs(running, false)).toBe(TRACE_FALLBACK_MS);
    expect(traceRefreshMs({ ...running, status: 'RUNNING' }, false)).toBe(TRACE_FALLBACK_MS);
    expect(traceRefreshMs({ ...running, journeyStatus: null }, false)).toBe(TRACE_FALLBACK_MS); // may answer next time
  });

  it('knows the API’s "cannot be read" from other refusals', () => {
    expect(isUnreadable(unreadable)).toBe(true);
    expect(isUnreadable(new KairosApiError(503, { error: { code: 'temporal_unavailable', message: 'x', details: [] } }))).toBe(false);
    expect(isUnreadable(new KairosApiError(409, undefined))).toBe(false);
    expect(isUnreadable(new Error('x'))).toBe(false);
  });

  it('is not asked again when the user’s events or rewards change: its trace cannot grow', () => {
    expect(traceMark(unreadFailed, [], [])).toBe(traceMark(unreadFailed, [], [{ id: 'e1', type: 'order.completed', cancelReason: null, cancelledAt: null } as never]));
  });
});

describe('traceCutNote', () => {
  // A streak journey: every order stays in shopping (the sum never reaches the bar), one trace entry each.
  const streak = compiled({
    key: 'streak',
    name: 'Streak',
    entry: { on: 'order.completed' },
    initial: 'shopping',
    states: { shopping: { transitions: [{ to: 'done', when: "sum('order.completed', 'amount') >= 1000000" }] }, done: { end: true } },
  });
  const afterOrders = (n: number) => {
    const j = new TestJourney(streak);
    for (let i = 0; i < n; i++) j.wait(1).event('order.completed', { amount: 1 }, { id: `o-${i}` });
    return j;
  };

  it('says nothing while the journey keeps every decision it took', () => {
    const trace = afterOrders(TRACE_KEPT - 1).state.trace;
    expect(trace).toHaveLength(49);
    expect(traceCutNote(trace)).toBeNull();
    expect(traceCutNote([])).toBeNull();
  });

  it('says the journey keeps only its newest 50 decisions once it holds that many, the oldest gone', () => {
    for (const n of [TRACE_KEPT, TRACE_KEPT + 5]) {
      const trace = afterOrders(n).state.trace;
      expect(trace).toHaveLength(50);
      expect(traceCutNote(trace)).toBe('The journey keeps only its newest 50 decisions; older decisions are not kept (the Temporal UI history has every input).');
    }
    // The journey's first input, which entered it, is gone from the 55.
    expect(afterOrders(TRACE_KEPT + 5).state.trace[0].input).toBe('event order.completed o-5');
  });

  it('says older decisions are gone when a journey too heavy to continue as new dropped some', () => {
    const j = afterOrders(10);
    const state = j.state;
    const lightened = lightenToFit(state, jsonBytes(state) - 1000, '2026-12-02T05:00:00.000Z');
    expect(lightened.traceDropped).toBeGreaterThan(0);
    expect(state.trace.length).toBeLessThan(TRACE_KEPT);
    expect(traceCutNote(state.trace)).toBe('Older decisions are not kept: the journey dropped some when its state grew too heavy (the Temporal UI history has every input).');
  });
});
