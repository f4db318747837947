import { campaignWith } from '../testing/campaigns';
import { compiled, TestJourney } from '../testing/journey';
import { storedProfile } from './state';

describe("the stored profile and an event's user override (issue 11)", () => {
  const plan = compiled(campaignWith({ start: { transitions: [{ to: 'done', on: 'later' }] }, done: { end: true } }));

  it('user.* holds the override for its event; the stored profile the next event merges into does not', () => {
    const j = new TestJourney(plan, { user: { level: 1, vip: false } });
    j.event('order.completed', { user: { vip: true } });
    expect(j.state.user).toEqual({ level: 1, vip: true });
    expect(storedProfile(j.state)).toEqual({ level: 1, vip: false });
  });

  it('a state from before the stored profile was kept falls back to user.*', () => {
    const j = new TestJourney(plan, { user: { level: 1 } });
    j.event('order.completed');
    const { profile: _dropped, ...older } = j.state;
    expect(storedProfile(older)).toEqual({ level: 1 });
  });
});
