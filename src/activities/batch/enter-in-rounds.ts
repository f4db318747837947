/** What a page's attempt heartbeats after each round: the last user signalled, in the page's order, and how many so far. */
export interface PageCheckpoint {
  through: string;
  entered: number;
}

const isCheckpoint = (v: unknown): v is PageCheckpoint =>
  typeof v === 'object' && v !== null && typeof (v as PageCheckpoint).through === 'string' && Number.isSafeInteger((v as PageCheckpoint).entered);

/**
 * Where an earlier attempt of a page got to: the index in `pageOrder` (the
 * page's profiles, in order) of the last user it signalled, and how many it
 * signalled; -1 and 0 with no checkpoint. Looked up among the page's rows,
 * not among the users left to enter: the users an attempt entered may have
 * used their last entry by the retry, and left that list. A checkpoint
 * naming a profile no longer in the page (deleted) starts over: the signals
 * are idempotent per tick, only repeated.
 */
export function resumePoint(pageOrder: readonly string[], checkpoint: unknown): { after: number; entered: number } {
  const after = isCheckpoint(checkpoint) ? pageOrder.indexOf(checkpoint.through) : -1;
  return after >= 0 && isCheckpoint(checkpoint) ? { after, entered: checkpoint.entered } : { after: -1, entered: 0 };
}

export interface RoundsContext {
  /** Signalled by earlier attempts of the page (resumePoint). */
  enteredBefore: number;
  heartbeat(checkpoint: PageCheckpoint): void;
  /** Aborted when the attempt is cancelled or timed out: no round starts after that. */
  signal: AbortSignal;
}

/**
 * Signals `userIds` `concurrency` at a time and heartbeats a checkpoint
 * after each round. An attempt that timed out (Temporal slow, a worker
 * stopped) leaves the next one to go on after the last user it signalled
 * (resumePoint), rather than from the page's first user: each attempt
 * moves the page on, so a tick ends however slow Temporal is. Answers how
 * many of the page were signalled, by this attempt and the ones before it.
 */
export async function enterInRounds(userIds: readonly string[], enter: (userId: string) => Promise<void>, ctx: RoundsContext, concurrency: number): Promise<number> {
  let entered = ctx.enteredBefore;
  for (let i = 0; i < userIds.length; i += concurrency) {
    ctx.signal.throwIfAborted();
    const round = userIds.slice(i, i + concurrency);
    // Settled, not Promise.all: a round's failure waits for its other calls, so none runs on beside the retry.
    const results = await Promise.allSettled(round.map((userId) => enter(userId)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    entered += round.length;
    ctx.heartbeat({ through: round[round.length - 1], entered });
  }
  return entered;
}
