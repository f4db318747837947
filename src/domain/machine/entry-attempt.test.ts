import { compiled, TestJourney } from '../testing/journey';
import { isEntryAttemptOnIdle } from './entry-attempt';

const campaign = {
  key: 'entry-attempt',
  name: 'Entry attempts',
  entry: { on: 'app.opened' },
  initial: 'waiting',
  states: { waiting: { transitions: [{ on: 'order.completed', to: 'done' }] }, done: { end: true } },
};

describe('isEntryAttemptOnIdle: when a journey reads the profile afresh', () => {
  it('an entry-type event or a tick while idle, nothing else', () => {
    const plan = compiled(campaign);
    const j = new TestJourney(plan);
    expect(j.state.status).toBe('idle');
    expect(isEntryAttemptOnIdle(plan, j.state, { kind: 'event', event: { type: 'app.opened' } })).toBe(true);
    expect(isEntryAttemptOnIdle(plan, j.state, { kind: 'scheduledEntry' })).toBe(true);
    expect(isEntryAttemptOnIdle(plan, j.state, { kind: 'event', event: { type: 'order.completed' } })).toBe(false);
    expect(isEntryAttemptOnIdle(plan, j.state, { kind: 'cancelEvent' })).toBe(false);
    j.event('app.opened', {}, { id: 'open-1' });
    // Entered: a running path, so the next entry-type event is no entry attempt (the cached profile serves).
    expect(j.state.status).toBe('active');
    expect(isEntryAttemptOnIdle(plan, j.state, { kind: 'event', event: { type: 'app.opened' } })).toBe(false);
  });
});
