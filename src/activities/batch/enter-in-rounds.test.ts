import { enterInRounds, resumePoint, type PageCheckpoint } from './enter-in-rounds';

const users = (n: number) => Array.from({ length: n }, (_, i) => `u${String(i + 1).padStart(2, '0')}`);

function context(enteredBefore = 0) {
  const beats: PageCheckpoint[] = [];
  const abort = new AbortController();
  return { beats, abort, ctx: { enteredBefore, heartbeat: (c: PageCheckpoint) => beats.push(c), signal: abort.signal } };
}

describe('enterInRounds', () => {
  it('signals every user, a round at a time, heartbeating after each round', async () => {
    const sent: string[] = [];
    const { beats, ctx } = context();
    expect(await enterInRounds(users(7), async (u) => void sent.push(u), ctx, 3)).toBe(7);
    expect(sent).toEqual(users(7));
    expect(beats).toEqual([
      { through: 'u03', entered: 3 },
      { through: 'u06', entered: 6 },
      { through: 'u07', entered: 7 },
    ]);
  });

  it('counts on from what earlier attempts signalled', async () => {
    const { beats, ctx } = context(6);
    expect(await enterInRounds(['u07', 'u08'], async () => undefined, ctx, 3)).toBe(8);
    expect(beats).toEqual([{ through: 'u08', entered: 8 }]);
  });

  it('starts no round once the attempt is cancelled', async () => {
    const sent: string[] = [];
    const { abort, ctx } = context();
    const enter = async (u: string) => {
      sent.push(u);
      if (u === 'u02') abort.abort(new Error('cancelled'));
    };
    await expect(enterInRounds(users(9), enter, ctx, 3)).rejects.toThrow('cancelled');
    expect(sent).toEqual(['u01', 'u02', 'u03']);
  });

  it("fails with a round's failure only once the round's other calls are done, and keeps the checkpoint before it", async () => {
    const finished: string[] = [];
    const { beats, ctx } = context();
    const enter = async (u: string) => {
      if (u === 'u04') throw new Error('Temporal refused u04');
      await new Promise((r) => setTimeout(r, 20));
      finished.push(u);
    };
    await expect(enterInRounds(users(6), enter, ctx, 3)).rejects.toThrow('Temporal refused u04');
    expect(finished).toEqual(['u01', 'u02', 'u03', 'u05', 'u06']);
    expect(beats).toEqual([{ through: 'u03', entered: 3 }]);
  });
});

describe('resumePoint', () => {
  it("finds an earlier attempt's checkpoint among the page's profiles", () => {
    expect(resumePoint(users(8), { through: 'u06', entered: 2 })).toEqual({ after: 5, entered: 2 });
  });

  it('starts over when the checkpoint names a profile no longer in the page, or is not a checkpoint', () => {
    for (const checkpoint of [undefined, { through: 'gone', entered: 4 }, 'junk', { through: 'u02' }]) {
      expect(resumePoint(users(4), checkpoint)).toEqual({ after: -1, entered: 0 });
    }
  });
});
