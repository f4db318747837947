import { enterInRounds, resumePoint, type FailedEntry, type Isolation, type PageCheckpoint } from './enter-in-rounds';

const users = (n: number) => Array.from({ length: n }, (_, i) => `u${String(i + 1).padStart(2, '0')}`);

/** A refusal for good as the Temporal client throws it (gRPC INVALID_ARGUMENT). */
const refused = (message: string) => Object.assign(new Error(message), { code: 3 });
/** Temporal out of reach (gRPC UNAVAILABLE). */
const unreachable = () => Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });

/** A first attempt by default: a failure that may pass fails it. */
function context(resumed: PageCheckpoint | null = null, isolation: Partial<Isolation> = {}) {
  const beats: PageCheckpoint[] = [];
  const gaveUp: FailedEntry[] = [];
  const abort = new AbortController();
  const probes: string[] = [];
  return {
    beats,
    abort,
    gaveUp,
    probes,
    ctx: {
      resumed,
      heartbeat: (c: PageCheckpoint) => beats.push(c),
      signal: abort.signal,
      gaveUp: (f: FailedEntry) => gaveUp.push(f),
      isolation: {
        retryAlone: false,
        refusedForGood: (err: unknown) => (err as { code?: unknown }).code === 3,
        temporalsOwn: (err: unknown) => (err as { code?: unknown }).code === 14,
        temporalAnswers: async () => {
          probes.push('asked');
          return true;
        },
        ...isolation,
      },
    },
  };
}
/** A retried attempt of the page: a user whose entry fails is sent again alone, and given up on if it fails again. */
const retried = (isolation: Partial<Isolation> = {}, resumed: PageCheckpoint | null = null) => context(resumed, { retryAlone: true, ...isolation });

describe('enterInRounds', () => {
  it('signals every user, a round at a time, heartbeating after each round', async () => {
    const sent: string[] = [];
    const { beats, ctx } = context();
    expect(await enterInRounds(users(7), async (u) => void sent.push(u), ctx, 3)).toEqual({ entered: 7, failed: [] });
    expect(sent).toEqual(users(7));
    expect(beats).toEqual([
      { through: 'u03', entered: 3 },
      { through: 'u06', entered: 6 },
      { through: 'u07', entered: 7 },
    ]);
  });

  it('counts on from what earlier attempts signalled', async () => {
    const { beats, ctx } = context({ through: 'u06', entered: 6 });
    expect(await enterInRounds(['u07', 'u08'], async () => undefined, ctx, 3)).toEqual({ entered: 8, failed: [] });
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

describe('enterInRounds: a user whose entry keeps failing costs that user only (review-50-batch, finding 4)', () => {
  it('gives up at once on a user Temporal refuses for good, in any attempt, and goes on with the rest', async () => {
    const sent: string[] = [];
    const { beats, gaveUp, ctx } = context();
    const enter = async (u: string) => {
      if (u === 'u05') throw refused('3 INVALID_ARGUMENT: Blob data size exceeds limit.');
      sent.push(u);
    };
    const outcome = await enterInRounds(users(7), enter, ctx, 3);
    const failed = [{ userId: 'u05', reason: '3 INVALID_ARGUMENT: Blob data size exceeds limit.' }];
    expect(outcome).toEqual({ entered: 6, failed });
    expect(gaveUp).toEqual(failed);
    expect(sent).toEqual(['u01', 'u02', 'u03', 'u04', 'u06', 'u07']);
    // Heartbeated as soon as it was given up on (u04 before it entered): an attempt ending after it does not count it again.
    expect(beats).toEqual([
      { through: 'u03', entered: 3 },
      { through: 'u05', entered: 4, failed },
      { through: 'u06', entered: 5, failed },
      { through: 'u07', entered: 6, failed },
    ]);
  });

  it('on a retried attempt, sends a failing user again alone and gives up on them when it fails again while Temporal answers', async () => {
    const calls: string[] = [];
    const { beats, gaveUp, probes, ctx } = retried();
    const enter = async (u: string) => {
      calls.push(u);
      if (u === 'u02') throw new Error('exceeded workflow execution limit for signal events');
    };
    const outcome = await enterInRounds(users(4), enter, ctx, 3);
    expect(outcome).toEqual({ entered: 3, failed: [{ userId: 'u02', reason: 'exceeded workflow execution limit for signal events' }] });
    expect(gaveUp.map((f) => f.userId)).toEqual(['u02']);
    expect(calls).toEqual(['u01', 'u02', 'u03', 'u02', 'u04']);
    expect(probes).toEqual(['asked']);
    expect(beats.map((b) => [b.through, b.entered, b.failed?.length ?? 0])).toEqual([
      ['u01', 1, 0],
      ['u02', 1, 1],
      ['u03', 2, 1],
      ['u04', 3, 1],
    ]);
  });

  it('enters a user whose entry failed in their round and passes alone', async () => {
    let failures = 1;
    const { gaveUp, ctx } = retried();
    const enter = async (u: string) => {
      if (u === 'u02' && failures-- > 0) throw new Error('the journey is busy');
    };
    expect(await enterInRounds(users(3), enter, ctx, 3)).toEqual({ entered: 3, failed: [] });
    expect(gaveUp).toEqual([]);
  });

  it("fails the attempt, giving up on nobody, when the failure is Temporal's own or Temporal does not answer", async () => {
    const cases = [
      { name: 'Temporal unreachable', failure: unreachable, answers: true },
      { name: 'no answer to the probe', failure: () => new Error('the call timed out'), answers: false },
    ];
    for (const { name, failure, answers } of cases) {
      const { beats, gaveUp, ctx } = retried({ temporalAnswers: async () => answers });
      const enter = async (u: string) => {
        if (u === 'u02') throw failure();
      };
      await expect(enterInRounds(users(3), enter, ctx, 3)).rejects.toThrow(failure().message);
      // The checkpoint stays before u02: the next attempt sends it again.
      expect({ name, gaveUp, beats: beats.map((b) => b.through) }).toEqual({ name, gaveUp: [], beats: ['u01'] });
    }
  });

  it('gives up on nobody when the attempt is cancelled while a user is sent again alone (review-50-diff, finding 1)', async () => {
    const { abort, gaveUp, ctx } = retried({ temporalsOwn: () => false });
    let calls = 0;
    const enter = async (u: string) => {
      if (u !== 'u02') return;
      if (++calls === 1) throw new Error('the journey is busy');
      // Sent alone, when a worker stopping cancels the activity: the call fails as cancelled, and says nothing of the user.
      abort.abort();
      throw Object.assign(new Error('1 CANCELLED: Call cancelled'), { code: 1 });
    };
    await expect(enterInRounds(users(3), enter, ctx, 3)).rejects.toThrow('CANCELLED');
    expect(gaveUp).toEqual([]);
  });

  it('sends a user again alone through enterAlone, which may find them entered meanwhile (review-50-diff, finding 3)', async () => {
    const calls: string[] = [];
    const { gaveUp, ctx } = retried({
      // As batch-activities' does: the journey has the tick already (the first call reached Temporal), so nothing is sent.
      enterAlone: async (u) => {
        calls.push(`alone ${u}`);
        return true;
      },
    });
    const enter = async (u: string) => {
      calls.push(u);
      if (u === 'u02') throw new Error('the call timed out on the client');
    };
    expect(await enterInRounds(users(3), enter, ctx, 3)).toEqual({ entered: 3, failed: [] });
    expect(calls).toEqual(['u01', 'u02', 'u03', 'alone u02']);
    expect(gaveUp).toEqual([]);
  });

  it('does not count a user enterAlone leaves out: the other run of the local time entered them (review-58-diff-journeys 6)', async () => {
    const { beats, gaveUp, ctx } = retried({ enterAlone: async (u) => u !== 'u02' });
    const enter = async (u: string) => {
      if (u === 'u02') throw new Error('the call timed out on the client');
    };
    expect(await enterInRounds(users(3), enter, ctx, 3)).toEqual({ entered: 2, failed: [] });
    expect(gaveUp).toEqual([]);
    // Settled all the same: a later attempt goes on after them.
    expect(beats.map((b) => `${b.through}:${b.entered}`)).toEqual(['u01:1', 'u02:1', 'u03:2']);
  });

  it('reports the users earlier attempts gave up on, and counts on from their checkpoint', async () => {
    const before = [{ userId: 'u02', reason: 'refused' }];
    const { gaveUp, ctx } = retried({}, { through: 'u03', entered: 2, failed: before });
    expect(await enterInRounds(['u04', 'u05'], async () => undefined, ctx, 3)).toEqual({ entered: 4, failed: before });
    expect(gaveUp).toEqual([]);
  });
});

describe('resumePoint', () => {
  it("finds an earlier attempt's checkpoint among the page's profiles", () => {
    expect(resumePoint(users(8), { through: 'u06', entered: 2 })).toEqual({ after: 5, checkpoint: { through: 'u06', entered: 2 } });
    const failed = [{ userId: 'u03', reason: 'refused' }];
    expect(resumePoint(users(8), { through: 'u06', entered: 2, failed })).toEqual({ after: 5, checkpoint: { through: 'u06', entered: 2, failed } });
  });

  it('starts over when the checkpoint names a profile no longer in the page, or is not a checkpoint', () => {
    for (const checkpoint of [undefined, { through: 'gone', entered: 4 }, 'junk', { through: 'u02' }]) {
      expect(resumePoint(users(4), checkpoint)).toEqual({ after: -1, checkpoint: null });
    }
  });
});
