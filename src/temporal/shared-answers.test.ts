import { SharedAnswers } from './shared-answers';

/** A question whose answers the test hands out one by one. */
function asker() {
  const pending: Array<{ resolve: (v: number) => void; reject: (e: Error) => void }> = [];
  return {
    asked: () => pending.length,
    ask: () => new Promise<number>((resolve, reject) => pending.push({ resolve, reject })),
    answer: (i: number, v: number) => pending[i].resolve(v),
    fail: (i: number) => pending[i].reject(new Error('visibility is away')),
  };
}

describe('shared answers', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000;
  });

  it('asks once for callers that ask while the answer is on its way, and for those within the moment after', async () => {
    const shared = new SharedAnswers<number>(2_000, 100, clock);
    const q = asker();
    const a = shared.get('spend-20', q.ask);
    const b = shared.get('spend-20', q.ask);
    expect(q.asked()).toBe(1);
    q.answer(0, 7);
    expect(await Promise.all([a, b])).toEqual([7, 7]);
    now += 1_999;
    expect(await shared.get('spend-20', q.ask)).toBe(7);
    expect(q.asked()).toBe(1);
    now += 1;
    const c = shared.get('spend-20', q.ask);
    expect(q.asked()).toBe(2);
    q.answer(1, 9);
    expect(await c).toBe(9);
  });

  it('keeps different questions apart', async () => {
    const shared = new SharedAnswers<number>(2_000, 100, clock);
    const q = asker();
    const a = shared.get('a', q.ask);
    const b = shared.get('b', q.ask);
    q.answer(0, 1);
    q.answer(1, 2);
    expect(await Promise.all([a, b])).toEqual([1, 2]);
  });

  it('does not keep a failure: those who waited get it, the next caller asks again', async () => {
    const shared = new SharedAnswers<number>(2_000, 100, clock);
    const q = asker();
    const a = shared.get('a', q.ask);
    const b = shared.get('a', q.ask);
    q.fail(0);
    await expect(a).rejects.toThrow('visibility is away');
    await expect(b).rejects.toThrow('visibility is away');
    const c = shared.get('a', q.ask);
    expect(q.asked()).toBe(2);
    q.answer(1, 3);
    expect(await c).toBe(3);
  });

  it('forgets the oldest question past its bound', async () => {
    const shared = new SharedAnswers<number>(60_000, 2, clock);
    const q = asker();
    for (const key of ['a', 'b', 'c']) void shared.get(key, q.ask);
    [0, 1, 2].forEach((i) => q.answer(i, i));
    await Promise.resolve();
    void shared.get('b', q.ask);
    void shared.get('c', q.ask);
    expect(q.asked()).toBe(3);
    void shared.get('a', q.ask);
    expect(q.asked()).toBe(4);
  });
});
