import { CoalescingQueue, type Pending } from './coalescing-queue';

/** A run that records each group and holds it until released. */
function heldRuns() {
  const groups: number[][] = [];
  const releases: Array<() => void> = [];
  const run = (group: Array<Pending<number, number>>) =>
    new Promise<void>((release) => {
      groups.push(group.map((p) => p.item));
      releases.push(() => {
        for (const p of group) p.resolve(p.item * 10);
        release();
      });
    });
  return { groups, releases, run };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('CoalescingQueue', () => {
  it('sends a lone item at once, alone', async () => {
    const h = heldRuns();
    const q = new CoalescingQueue(h.run, { inFlight: 1, maxWeight: 10 });
    const answer = q.submit(1);
    expect(h.groups).toEqual([[1]]);
    h.releases[0]();
    await expect(answer).resolves.toBe(10);
  });

  it('groups what arrives while groups run, in order, up to the weight cap', async () => {
    const h = heldRuns();
    const q = new CoalescingQueue(h.run, { inFlight: 2, maxWeight: 3 });
    const answers = [1, 2, 3, 4, 5, 6, 7].map((i) => q.submit(i));
    // The first two find a free slot each; the rest wait for one.
    expect(h.groups).toEqual([[1], [2]]);
    h.releases[1]();
    await tick();
    expect(h.groups).toEqual([[1], [2], [3, 4, 5]]);
    h.releases[0]();
    await tick();
    expect(h.groups).toEqual([[1], [2], [3, 4, 5], [6, 7]]);
    h.releases[2]();
    h.releases[3]();
    await expect(Promise.all(answers)).resolves.toEqual([10, 20, 30, 40, 50, 60, 70]);
  });

  it('weighs items, and sends one heavier than the cap alone', async () => {
    const h = heldRuns();
    const q = new CoalescingQueue(h.run, { inFlight: 1, maxWeight: 10, weight: (i) => i });
    const first = q.submit(1);
    const rest = [4, 5, 20, 2].map((i) => q.submit(i));
    h.releases[0]();
    await first;
    await tick();
    expect(h.groups[1]).toEqual([4, 5]);
    h.releases[1]();
    await tick();
    expect(h.groups[2]).toEqual([20]);
    h.releases[2]();
    await tick();
    expect(h.groups[3]).toEqual([2]);
    h.releases[3]();
    await expect(Promise.all(rest)).resolves.toEqual([40, 50, 200, 20]);
  });

  it("rejects what a throwing run left unsettled with its error, and keeps what it settled", async () => {
    const q = new CoalescingQueue<number, number>(
      async (group) => {
        group[0].resolve(0);
        throw new Error('statement failed');
      },
      { inFlight: 1, maxWeight: 10 },
    );
    const first = q.submit(1);
    const [a, b] = [q.submit(2), q.submit(3)];
    await expect(first).resolves.toBe(0);
    await expect(a).resolves.toBe(0);
    await expect(b).rejects.toThrow('statement failed');
  });

  it('rejects an item a run forgot, rather than leaving its caller waiting', async () => {
    const q = new CoalescingQueue<number, number>(async () => undefined, { inFlight: 1, maxWeight: 10 });
    await expect(q.submit(1)).rejects.toThrow('left 1 unsettled');
  });

  it('goes on after a failed group', async () => {
    let fail = true;
    const q = new CoalescingQueue<number, number>(
      async (group) => {
        if (fail) throw new Error('down');
        for (const p of group) p.resolve(p.item);
      },
      { inFlight: 1, maxWeight: 10 },
    );
    await expect(q.submit(1)).rejects.toThrow('down');
    fail = false;
    await expect(q.submit(2)).resolves.toBe(2);
  });

  it('refuses options that would never send anything', () => {
    expect(() => new CoalescingQueue(async () => undefined, { inFlight: 0, maxWeight: 1 })).toThrow(RangeError);
    expect(() => new CoalescingQueue(async () => undefined, { inFlight: 1, maxWeight: 0 })).toThrow(RangeError);
    expect(() => new CoalescingQueue(async () => undefined, { inFlight: 1, maxWeight: 1, gatherMs: -1 })).toThrow(RangeError);
  });

  describe('with a gather window', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('holds the first item for the window, and sends what arrived meanwhile with it', async () => {
      const h = heldRuns();
      const q = new CoalescingQueue(h.run, { inFlight: 1, maxWeight: 10, gatherMs: 25 });
      const answers = [q.submit(1)];
      jest.advanceTimersByTime(24);
      answers.push(q.submit(2), q.submit(3));
      expect(h.groups).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(h.groups).toEqual([[1, 2, 3]]);
      h.releases[0]();
      await expect(Promise.all(answers)).resolves.toEqual([10, 20, 30]);
    });

    it('sends a full group at once, without waiting the window out', () => {
      const h = heldRuns();
      const q = new CoalescingQueue(h.run, { inFlight: 1, maxWeight: 3, gatherMs: 25 });
      void [1, 2, 3].map((i) => q.submit(i));
      expect(h.groups).toEqual([[1, 2, 3]]);
      h.releases[0]();
    });

    it('sends what waited its window out as soon as a slot frees, without a second window', async () => {
      const h = heldRuns();
      const q = new CoalescingQueue(h.run, { inFlight: 1, maxWeight: 10, gatherMs: 25 });
      const first = q.submit(1);
      jest.advanceTimersByTime(25);
      const second = q.submit(2);
      jest.advanceTimersByTime(25);
      // The window is over but the only slot is busy.
      expect(h.groups).toEqual([[1]]);
      h.releases[0]();
      await first;
      await Promise.resolve();
      expect(h.groups).toEqual([[1], [2]]);
      h.releases[1]();
      await expect(second).resolves.toBe(20);
    });

    it('idle sends what waits for its window, and resolves once every group has settled', async () => {
      const h = heldRuns();
      const q = new CoalescingQueue(h.run, { inFlight: 1, maxWeight: 2, gatherMs: 25 });
      const answers = [1, 2, 3].map((i) => q.submit(i));
      let idle = false;
      const waited = q.idle().then(() => (idle = true));
      expect(h.groups).toEqual([[1, 2]]);
      h.releases[0]();
      await answers[1];
      await Promise.resolve();
      expect(h.groups).toEqual([[1, 2], [3]]);
      expect(idle).toBe(false);
      h.releases[1]();
      await waited;
      await expect(Promise.all(answers)).resolves.toEqual([10, 20, 30]);
    });

    it('waits only while gatherWhile says so, asked when a group begins', async () => {
      const h = heldRuns();
      let busy = false;
      const q = new CoalescingQueue(h.run, { inFlight: 2, maxWeight: 10, gatherMs: 25, gatherWhile: () => busy });
      const lone = q.submit(1);
      expect(h.groups).toEqual([[1]]);
      busy = true;
      const gathered = [q.submit(2)];
      busy = false; // the open window is kept: what arrives meanwhile joins it
      gathered.push(q.submit(3));
      expect(h.groups).toEqual([[1]]);
      jest.advanceTimersByTime(25);
      expect(h.groups).toEqual([[1], [2, 3]]);
      h.releases[0]();
      h.releases[1]();
      await expect(Promise.all([lone, ...gathered])).resolves.toEqual([10, 20, 30]);
    });

    it('flush sends at once what is waiting for its window', async () => {
      const h = heldRuns();
      const q = new CoalescingQueue(h.run, { inFlight: 1, maxWeight: 10, gatherMs: 25 });
      const answer = q.submit(7);
      q.flush();
      expect(h.groups).toEqual([[7]]);
      h.releases[0]();
      await expect(answer).resolves.toBe(70);
    });
  });
});
