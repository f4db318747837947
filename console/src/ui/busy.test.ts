import { KairosApiError } from '../api';
import { asBusy, Busy } from './busy';
import { clock } from './clock';

describe('asBusy', () => {
  const now = Date.parse('2026-12-05T10:00:00Z');

  it('a 429 of a page that refreshes is a wait, saying when it asks again', () => {
    const busy = asBusy(new KairosApiError(429, undefined), 30_000, now);
    expect(busy).toBeInstanceOf(Busy);
    expect((busy as Busy).until.getTime()).toBe(now + 30_000);
    expect((busy as Busy).message).toBe(`Kairos is busy (429: too many requests) and asked the console to wait: this panel asks again at ${clock(new Date(now + 30_000))}.`);
  });

  it('anything else, or a load that will not be asked again, stays the error it was', () => {
    const down = new KairosApiError(503, undefined);
    expect(asBusy(down, 30_000, now)).toBe(down);
    const once = new KairosApiError(429, undefined);
    expect(asBusy(once, undefined, now)).toBe(once);
    expect(asBusy('text', 5000, now)).toBe('text');
  });
});
