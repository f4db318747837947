import { compiled, TestJourney } from '../../domain/testing/journey';
import { aggregatesOf } from './build-view';

describe('the state view of a path', () => {
  const plan = compiled({
    key: 'spend',
    name: 'Spend',
    entry: { on: 'signup' },
    initial: 'collecting',
    states: {
      collecting: { transitions: [{ to: 'rewarded', when: "sum('order.completed', 'amount') >= 25 && avg('order.completed', 'amount') >= 1" }] },
      rewarded: { end: true },
    },
  });

  it('shows a sum and an average as the decimals the rule reads, not their doubles', () => {
    const j = new TestJourney(plan);
    j.event('signup');
    for (const amount of [2.4, 14.2, 3.4]) j.event('order.completed', { amount });
    expect(j.currentStates()).toEqual(['collecting']);
    const shown = aggregatesOf(plan, j.state.paths[0].window, true);
    // As doubles: 19.999999999999996 and 6.666666666666665.
    expect(Object.entries(shown)).toEqual([
      [expect.stringMatching(/^sum/), 20],
      [expect.stringMatching(/^avg/), 6.66666666666667],
    ]);
  });
});
