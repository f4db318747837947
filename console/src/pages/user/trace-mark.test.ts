import { traceMark, type UserJourney } from './trace-mark';
import type { KnownEvent, LedgerReward } from './trace-words';

const running: UserJourney = {
  workflowId: 'journey:welcome:u-1',
  runId: '00000000-0000-4000-8000-000000000001',
  campaign: 'welcome',
  version: 1,
  state: 'shopping',
  status: 'RUNNING',
  journeyStatus: 'active',
  held: 0,
  entries: 1,
  enteredAt: '2026-01-01T00:00:00Z',
  closedAt: null,
  temporalUrl: null,
};
const event = (id: string, cancelledAt: string | null = null) => ({ id, type: 'order.completed', cancelReason: null, cancelledAt }) as KnownEvent;
const reward = (campaign: string, status: string) => ({ id: `r-${campaign}`, campaign, status, causedBy: [] }) as unknown as LedgerReward;

describe('when a journey card asks for its trace again', () => {
  it('not while nothing it shows has changed', () => {
    expect(traceMark(running, [], [event('e1')])).toBe(traceMark({ ...running }, [], [event('e1')]));
  });

  it('when its journey moves, an event arrives or is cancelled, or its campaign’s reward changes', () => {
    const was = traceMark(running, [reward('welcome', 'issued')], [event('e1')]);
    expect(traceMark({ ...running, state: 'rewarded' }, [reward('welcome', 'issued')], [event('e1')])).not.toBe(was);
    expect(traceMark(running, [reward('welcome', 'issued')], [event('e2'), event('e1')])).not.toBe(was);
    expect(traceMark(running, [reward('welcome', 'issued')], [event('e1', '2026-01-01T00:00:00Z')])).not.toBe(was);
    expect(traceMark(running, [reward('welcome', 'reclaimed')], [event('e1')])).not.toBe(was);
    // Another campaign's reward is not this journey's news.
    expect(traceMark(running, [reward('welcome', 'issued'), reward('other', 'issued')], [event('e1')])).toBe(was);
  });

  it('for an ended journey, only when its line in the listing changes', () => {
    const ended: UserJourney = { ...running, state: null, journeyStatus: 'ended', closedAt: '2026-01-02T00:00:00Z' };
    expect(traceMark(ended, [], [event('e2')])).toBe(traceMark(ended, [reward('welcome', 'issued')], [event('e1')]));
  });
});
