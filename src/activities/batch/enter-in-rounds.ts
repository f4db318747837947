/** What a page's attempt heartbeats after each round: the last user signalled, in the page's order, and how many so far. */
export interface PageCheckpoint {
  through: string;
  entered: number;
}

export interface RoundsContext {
  /** The last checkpoint an earlier attempt of this page heartbeated, if any (Temporal's heartbeatDetails). */
  checkpoint: unknown;
  heartbeat(checkpoint: PageCheckpoint): void;
  /** Aborted when the attempt is cancelled or timed out: no round starts after that. */
  signal: AbortSignal;
}

const isCheckpoint = (v: unknown): v is PageCheckpoint =>
  typeof v === 'object' && v !== null && typeof (v as PageCheckpoint).through === 'string' && Number.isSafeInteger((v as PageCheckpoint).entered);

/**
 * Signals `userIds` `concurrency` at a time and heartbeats a checkpoint
 * after each round. An attempt that timed out (Temporal slow, a worker
 * stopped) leaves the next one to go on after the last user it signalled,
 * rather than from the page's first user: each attempt moves the page on,
 * so a tick ends however slow Temporal is. Answers how many of the page
 * were signalled, by this attempt and the ones before it. A checkpoint
 * naming a user no longer in the page (its profile gone) starts over: the
 * signals are idempotent per tick, only repeated.
 */
export async function enterInRounds(userIds: readonly string[], enter: (userId: string) => Promise<void>, ctx: RoundsContext, concurrency: number): Promise<number> {
  const resumed = isCheckpoint(ctx.checkpoint) ? userIds.indexOf(ctx.checkpoint.through) : -1;
  let entered = resumed >= 0 && isCheckpoint(ctx.checkpoint) ? ctx.checkpoint.entered : 0;
  for (let i = resumed + 1; i < userIds.length; i += concurrency) {
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
