import { ClosedRunViews } from './closed-run-views';

describe('closed run views', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000;
  });

  it('keeps what a closed run answered for good, and knows nothing of a run it was not given', () => {
    const views = new ClosedRunViews<string>(10, 60_000, clock);
    views.keep('run-1', 'completed');
    now += 365 * 24 * 3600_000;
    expect(views.get('run-1')).toBe('completed');
    expect(views.get('run-2')).toBeUndefined();
  });

  it('keeps a run that could not answer as null for a while only, then asks for it again', () => {
    const views = new ClosedRunViews<string>(10, 60_000, clock);
    views.keepNoAnswer('run-1');
    now += 59_999;
    expect(views.get('run-1')).toBeNull();
    now += 1;
    expect(views.get('run-1')).toBeUndefined();
    // An answer later replaces the no-answer for good.
    views.keep('run-1', 'failed');
    now += 120_000;
    expect(views.get('run-1')).toBe('failed');
  });

  it('forgets the least recently read run past its bound', () => {
    const views = new ClosedRunViews<string>(2, 60_000, clock);
    views.keep('run-1', 'one');
    views.keep('run-2', 'two');
    expect(views.get('run-1')).toBe('one');
    views.keep('run-3', 'three');
    expect([views.get('run-1'), views.get('run-2'), views.get('run-3')]).toEqual(['one', undefined, 'three']);
  });
});
