import { compiled, TestJourney } from '../../domain/testing/journey';
import { preview, type StepOptions } from '../../domain/machine';
import { stepOptionsOf, type ShellFeatures } from './shell-options';

/** What a journey from before patch rounded-amounts runs on (before-rounded-amounts-lou.json): already-holding-is-no-reward and all before it. */
const beforeRoundedAmounts: ShellFeatures = {
  deferEventsDuringActions: true,
  leanHistory: true,
  encodedKeys: true,
  userOverrideOnce: true,
  distinctEffects: true,
  localRewards: true,
  deferredBudget: true,
  entriesAfterEnd: true,
  entryFollowsActivation: true,
  cancelStopsEffects: true,
  cancelReleasesHeld: true,
  heldEventsAndSplitArms: true,
  alreadyHoldingIsNoReward: true,
};

/** The campaign of journey-lou: points from an expression whose double carries noise. */
const noise = compiled({
  key: 'replay-noise',
  name: 'noise',
  entry: { on: 'order.completed' },
  initial: 'gift',
  states: { gift: { actions: { steps: [{ id: 'thrice', type: 'points', amount: 'event.amount * 3' }] }, end: true } },
});
const order = { version: 1 as const, id: 'h16-1', type: 'order.completed', userId: 'lou', occurredAt: '2026-12-03T10:00:00Z', properties: { amount: 0.1 } };

const issuedBy = (options: StepOptions) => {
  const j = new TestJourney(noise, { userId: 'lou', now: '2026-12-03T10:00:00Z', stepOptions: options });
  j.event('order.completed', { amount: 0.1 }, { id: 'h16-1' });
  const action = j.lastEffects('runAction')[0] as { action: { amount: number } };
  return action.action.amount;
};
const previewedBy = (options: StepOptions) => {
  const j = new TestJourney(noise, { userId: 'lou' });
  const r = preview(noise, j.state, order, { userId: 'lou', user: {}, now: '2026-12-03T10:00:00Z', stepOptions: options });
  return (r.rewards[0].action as { amount: number }).amount;
};

describe("a journey's step options (review-53-journeys, finding 3)", () => {
  it('a journey from before rounded-amounts previews the amount it issues, unrounded', () => {
    const options = stepOptionsOf(beforeRoundedAmounts);
    expect(issuedBy(options)).toBe(0.30000000000000004);
    expect(previewedBy(options)).toBe(issuedBy(options));
    // What the preview query answered before it took the journey's options (only routed-entries-held-events): not what it issues.
    expect(previewedBy({ routedEntriesHeldEvents: false })).toBe(0.3);
  });

  it('leaves no patched behaviour at its default: every option of a journey with no feature on is off', () => {
    const none = stepOptionsOf({ deferEventsDuringActions: false, leanHistory: false, encodedKeys: false, userOverrideOnce: false, distinctEffects: false, localRewards: false, deferredBudget: false, entriesAfterEnd: false });
    // inPlace is how the shell calls step, not a patch.
    expect(Object.entries(none).filter(([, on]) => on !== false)).toEqual([]);
    // Every option step takes but inPlace is there (a new StepOptions flag must be added to stepOptionsOf too).
    const optionNames: Array<keyof StepOptions> = [
      'deferEventsDuringActions', 'encodedIdempotencyKeys', 'deferredEventsBudget', 'cancelReachesAll', 'cancelReleasesHeld', 'heldEventsAndSplitArms',
      'alreadyHoldingIsNoReward', 'roundedAmounts', 'entryWindowByReceipt', 'boundedState', 'entryAtTick', 'tickCalendarDays', 'entryRowAtTick',
      'routedEntriesHeldEvents', 'unsettledRewardsKept', 'timerPlaceKept', 'entryTimesByReceipt', 'exactHeldAndFolded', 'journeyWeighed',
    ];
    expect(Object.keys(none).sort()).toEqual([...optionNames].sort());
  });
});
