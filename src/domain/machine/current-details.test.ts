import { compileCampaign } from '../compiler';
import { initialJourneyState } from './state';
import { step } from './step';
import { describeCurrentDetails } from './current-details';

const plan = (() => {
  const r = compileCampaign({
    key: 'details',
    name: 'details',
    entry: { on: 'order.completed' },
    initial: 'waiting',
    states: {
      waiting: {
        transitions: [
          { to: 'done', on: 'review.posted', if: 'event.stars >= 4' },
          { to: 'late', after: 'P3D' },
        ],
      },
      done: { end: true },
      late: { end: true },
    },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
})();

describe('describeCurrentDetails', () => {
  const fresh = initialJourneyState(plan, { campaignKey: 'details', userId: 'u', seed: 's' });

  it('says a journey with no path waits for an entry', () => {
    expect(describeCurrentDetails(plan, fresh, [])).toBe('Waiting for an entry event');
  });

  it('lists the state, what it waits for in order, the next timer and held steps', () => {
    const at = '2026-11-30T10:00:00.000Z';
    const { state } = step(plan, fresh, { version: 1, kind: 'event', now: at, event: { version: 1, id: 'o1', type: 'order.completed', userId: 'u', occurredAt: at, properties: {} } });
    const text = describeCurrentDetails(plan, state, [{ stepId: 'hook', summary: 'webhook to https://x', error: 'HTTP 500' }]);
    expect(text.split('\n')).toEqual([
      `**waiting** (entry 1, since ${at})`,
      '- waits for: review.posted (if …) → done; P3D → late',
      '- next timer: 2026-12-03T10:00:00.000Z',
      '- **held** hook: webhook to https://x: HTTP 500 (retry or skip)',
    ]);
  });
});
