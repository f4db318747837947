import { endingOf, type FinishedPath } from './state';

describe('endingOf', () => {
  const path = (f: Partial<FinishedPath>): FinishedPath => ({ pathId: 'p1', entryNo: 1, state: 'won', endedAt: 't1', reason: 'reached end state won', ...f });

  it('takes the recorded ending over the words of the reason', () => {
    expect(endingOf(path({ ending: 'exit' }))).toBe('exit');
    expect(endingOf(path({ ending: 'end-state', reason: 'operator' }))).toBe('end-state');
  });

  it('tells paths that ended before it was recorded by the reason an end state gives, for that very state', () => {
    expect(endingOf(path({}))).toBe('end-state');
    expect(endingOf(path({ reason: 'user.unsubscribed' }))).toBe('exit');
    expect(endingOf(path({ state: 'start' }))).toBe('exit');
  });
});
