import { KairosApiError } from '../api';
import { createPoller, ONE_OFF_RETRY_CAP_MS } from './poller';

/** A load whose answers the test gives, one per call. */
function loads() {
  const pending: Array<{ resolve: (v: number) => void; reject: (e: unknown) => void }> = [];
  return {
    load: () => new Promise<number>((resolve, reject) => pending.push({ resolve, reject })),
    started: () => pending.length,
    answer: (i: number, v: number) => pending[i].resolve(v),
    fail: (i: number, e: unknown) => pending[i].reject(e),
  };
}

const flush = () => Promise.resolve().then(() => undefined);

describe('createPoller', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setUp(hidden = () => false) {
    const l = loads();
    const seen: unknown[] = [];
    const poller = createPoller({ load: l.load, everyMs: 5000, hidden, onData: (d) => seen.push(d), onError: (e) => seen.push(`error: ${String(e)}`) });
    return { l, seen, poller };
  }

  it('never has two loads at once: the next starts a period after the last one answered, and each answer is shown', async () => {
    const { l, seen, poller } = setUp();
    poller.start();
    expect(l.started()).toBe(1);
    // A slow answer: a fixed interval would have started two more by now.
    jest.advanceTimersByTime(12_000);
    expect(l.started()).toBe(1);
    l.answer(0, 1);
    await flush();
    expect(seen).toEqual([1]);
    jest.advanceTimersByTime(4_999);
    expect(l.started()).toBe(1);
    jest.advanceTimersByTime(1);
    expect(l.started()).toBe(2);
    l.fail(1, 'down');
    await flush();
    jest.advanceTimersByTime(5_000);
    expect(l.started()).toBe(3);
    l.answer(2, 3);
    await flush();
    expect(seen).toEqual([1, 'error: down', 3]);
    poller.stop();
  });

  it('a reload supersedes the load under way: its late answer is dropped, and only one refresh follows', async () => {
    const { l, seen, poller } = setUp();
    poller.start();
    poller.reload();
    l.answer(1, 2);
    await flush();
    l.answer(0, 1);
    await flush();
    expect(seen).toEqual([2]);
    jest.advanceTimersByTime(5_000);
    expect(l.started()).toBe(3);
    poller.stop();
  });

  it('waits while the page is hidden and refreshes as soon as it is shown', async () => {
    let hidden = false;
    const { l, poller } = setUp(() => hidden);
    poller.start();
    l.answer(0, 1);
    await flush();
    hidden = true;
    jest.advanceTimersByTime(60_000);
    expect(l.started()).toBe(1);
    hidden = false;
    poller.shown();
    expect(l.started()).toBe(2);
    // Shown again with nothing due: no extra load.
    poller.shown();
    expect(l.started()).toBe(2);
    poller.stop();
  });

  it('stops: no answer is shown and nothing more is loaded', async () => {
    const { l, seen, poller } = setUp();
    poller.start();
    poller.stop();
    l.answer(0, 1);
    await flush();
    jest.advanceTimersByTime(60_000);
    expect(seen).toEqual([]);
    expect(l.started()).toBe(1);
  });

  describe('an answer that asks for a wait (429 with Retry-After)', () => {
    const busy = { status: 429 };
    function setUpWaiting(waitMs = 30_000, hidden = () => false) {
      const l = loads();
      const seen: unknown[] = [];
      const poller = createPoller({
        load: l.load,
        everyMs: 5000,
        hidden,
        waitAfter: (e) => (e === busy ? waitMs : undefined),
        onData: (d) => seen.push(d),
        onError: (e, next) => seen.push({ error: e === busy ? 'busy' : String(e), next }),
      });
      return { l, seen, poller };
    }

    it('is asked again no sooner than it said, then at the usual pace once it answers', async () => {
      const { l, seen, poller } = setUpWaiting();
      poller.start();
      l.fail(0, busy);
      await flush();
      expect(seen).toEqual([{ error: 'busy', next: 30_000 }]);
      jest.advanceTimersByTime(29_999);
      expect(l.started()).toBe(1);
      jest.advanceTimersByTime(1);
      expect(l.started()).toBe(2);
      l.answer(1, 7);
      await flush();
      jest.advanceTimersByTime(5_000);
      expect(l.started()).toBe(3);
      expect(seen).toEqual([{ error: 'busy', next: 30_000 }, 7]);
      poller.stop();
    });

    it('showing the tab meanwhile does not cut the wait short', async () => {
      let hidden = false;
      const { l, poller } = setUpWaiting(30_000, () => hidden);
      poller.start();
      l.fail(0, busy);
      await flush();
      hidden = true;
      jest.advanceTimersByTime(10_000);
      hidden = false;
      poller.shown();
      expect(l.started()).toBe(1);
      jest.advanceTimersByTime(20_000);
      expect(l.started()).toBe(2);
      poller.stop();
    });

    it('a wait shorter than the period, or none, keeps the period', async () => {
      const { l, seen, poller } = setUpWaiting(1000);
      poller.start();
      l.fail(0, busy);
      await flush();
      jest.advanceTimersByTime(4_999);
      expect(l.started()).toBe(1);
      jest.advanceTimersByTime(1);
      l.fail(1, 'down');
      await flush();
      expect(seen).toEqual([
        { error: 'busy', next: 5000 },
        { error: 'down', next: 5000 },
      ]);
      poller.stop();
    });

    it('a load that does not refresh is asked again once the wait it was given is over, and not otherwise', async () => {
      const l = loads();
      const seen: unknown[] = [];
      const poller = createPoller({ load: l.load, hidden: () => false, waitAfter: (e) => (e === busy ? 30_000 : undefined), onData: (d) => seen.push(d), onError: (_e, next) => seen.push(next) });
      poller.start();
      l.fail(0, busy);
      await flush();
      jest.advanceTimersByTime(29_999);
      expect(l.started()).toBe(1);
      jest.advanceTimersByTime(1);
      expect(l.started()).toBe(2);
      l.answer(1, 7);
      await flush();
      // Loaded: no refresh follows.
      jest.advanceTimersByTime(120_000);
      expect({ started: l.started(), seen }).toEqual({ started: 2, seen: [30_000, 7] });
      // "Retry-After: 0" is asked again after a short floor, not at once.
      const zero = createPoller({ load: l.load, hidden: () => false, waitAfter: () => 0, onData: () => undefined, onError: (_e, next) => seen.push(next) });
      zero.start();
      l.fail(2, busy);
      await flush();
      jest.advanceTimersByTime(1_999);
      expect(l.started()).toBe(3);
      jest.advanceTimersByTime(1);
      expect(l.started()).toBe(4);
      l.answer(3, 8);
      await flush();
      zero.stop();
      // A failure that asked for no wait is said, and not asked again.
      poller.reload();
      l.fail(4, 'down');
      await flush();
      jest.advanceTimersByTime(120_000);
      expect({ started: l.started(), seen }).toEqual({ started: 5, seen: [30_000, 7, 2_000, undefined] });
      poller.stop();
    });
  });

  describe('a load that does not refresh', () => {
    function setUpOneOff() {
      const l = loads();
      const seen: unknown[] = [];
      const poller = createPoller({ load: l.load, hidden: () => false, onData: (d) => seen.push(d), onError: (_e, next) => seen.push(next) });
      return { l, seen, poller };
    }
    const answered = (status: number) => new KairosApiError(status, undefined);

    it('got no answer (the API restarting, the network down): asked again after a wait that doubles, up to a minute, until it loads', async () => {
      const { l, seen, poller } = setUpOneOff();
      poller.start();
      const waits = [2_000, 4_000, 8_000, 16_000, 32_000, ONE_OFF_RETRY_CAP_MS, ONE_OFF_RETRY_CAP_MS];
      for (const [i, wait] of waits.entries()) {
        l.fail(i, new TypeError('Failed to fetch'));
        await flush();
        jest.advanceTimersByTime(wait - 1);
        expect(l.started()).toBe(i + 1);
        jest.advanceTimersByTime(1);
        expect(l.started()).toBe(i + 2);
      }
      l.answer(waits.length, 7);
      await flush();
      jest.advanceTimersByTime(10 * ONE_OFF_RETRY_CAP_MS);
      expect(l.started()).toBe(waits.length + 1);
      expect(seen).toEqual([...waits, 7]);
      poller.stop();
    });

    it('a 5xx is asked again too, from the shortest wait once a load has succeeded in between', async () => {
      const { l, seen, poller } = setUpOneOff();
      poller.start();
      l.fail(0, answered(502));
      await flush();
      jest.advanceTimersByTime(2_000);
      l.fail(1, answered(500));
      await flush();
      jest.advanceTimersByTime(4_000);
      l.answer(2, 1);
      await flush();
      // Loaded again later (the page asked for something else): its first failure waits the shortest again.
      poller.reload();
      l.fail(3, answered(503));
      await flush();
      jest.advanceTimersByTime(2_000);
      expect(l.started()).toBe(5);
      expect(seen).toEqual([2_000, 4_000, 1, 2_000]);
      poller.stop();
    });

    it("a refusal (4xx), or Kairos's own 503 without Retry-After (asking again will not help), is said and not asked again", async () => {
      const kairosRefusal = new KairosApiError(503, { error: { code: 'journey_unavailable', message: 'Temporal refused the query.', details: [] } });
      for (const refusal of [answered(404), kairosRefusal, new TypeError("Cannot read properties of undefined (reading 'nodes')")]) {
        const { l, seen, poller } = setUpOneOff();
        poller.start();
        l.fail(0, refusal);
        await flush();
        jest.advanceTimersByTime(10 * ONE_OFF_RETRY_CAP_MS);
        expect({ started: l.started(), seen }).toEqual({ started: 1, seen: [undefined] });
        poller.stop();
      }
    });

    it('stopped while waiting to ask again: not asked', async () => {
      const { l, poller } = setUpOneOff();
      poller.start();
      l.fail(0, new TypeError('Failed to fetch'));
      await flush();
      poller.stop();
      jest.advanceTimersByTime(10 * ONE_OFF_RETRY_CAP_MS);
      expect(l.started()).toBe(1);
    });
  });
});
