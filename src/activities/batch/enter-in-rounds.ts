import { z } from 'zod';
import { describeError } from './entry-failures';

/** A user a page gave up entering, and why (the last failure's message, cut to REASON_CHARS). */
export const FailedEntry = z.object({ userId: z.string(), reason: z.string() });
export type FailedEntry = z.infer<typeof FailedEntry>;

/**
 * What a page's attempt heartbeats after each round (and after each user
 * retried alone): the last user settled, in the page's order, how many it
 * signalled so far, and the users it gave up on so far (absent from
 * checkpoints of attempts before failures were kept apart).
 */
export const PageCheckpoint = z.object({ through: z.string(), entered: z.number().int().nonnegative(), failed: z.array(FailedEntry).optional() });
export type PageCheckpoint = z.infer<typeof PageCheckpoint>;

/** A failure's message kept per user: enough to tell refusals apart, bounded however many users a page gives up on. */
const REASON_CHARS = 300;

/**
 * Where an earlier attempt of a page got to: the index in `pageOrder` (the
 * page's profiles, in order) of the last user it settled, and its
 * checkpoint (how many it signalled, whom it gave up on); -1 and null with
 * no checkpoint. Looked up among the page's rows,
 * not among the users left to enter: the users an attempt entered may have
 * used their last entry by the retry, and left that list. A checkpoint
 * naming a profile no longer in the page (deleted) starts over: the signals
 * are idempotent per tick, only repeated.
 */
export function resumePoint(pageOrder: readonly string[], checkpoint: unknown): { after: number; checkpoint: PageCheckpoint | null } {
  const parsed = PageCheckpoint.safeParse(checkpoint);
  const after = parsed.success ? pageOrder.indexOf(parsed.data.through) : -1;
  return parsed.success && after >= 0 ? { after, checkpoint: parsed.data } : { after: -1, checkpoint: null };
}

/**
 * How a user whose entry keeps failing is told apart from an outage, which
 * fails the attempt (Temporal retries the page, and the tick gives up after
 * a day). One user's failure must cost that user only: failing the page for
 * it would fail every retry, and every later tick, at the same user.
 */
export interface Isolation {
  /** False on a page's first attempt: a failure fails it as before, and a passing one (a blip) costs nobody their entry. */
  retryAlone: boolean;
  /** Temporal refused the call itself (isRefusedForGood): the same call never succeeds; given up at once, in any attempt. */
  refusedForGood(err: unknown): boolean;
  /** The failure is Temporal's, not the user's (unreachable, rate limited): it fails the attempt, whoever it hit. */
  temporalsOwn(err: unknown): boolean;
  /** Whether Temporal answers now: a user whose entry fails again alone is given up on only then. */
  temporalAnswers(): Promise<boolean>;
  /**
   * The entry sent again alone. It asks first whether the user entered at
   * this tick meanwhile: a call that failed on the client's side may have
   * reached Temporal, and a journey that has ended since knows no tick, so
   * sending it again would enter the user twice. Answers whether the user
   * counts as entered by this tick: false for one left out instead (the
   * other run of a local time a clock change repeats entered them
   * meanwhile), who is neither signalled nor counted. Without it, `enter`,
   * and the user counts.
   */
  enterAlone?(userId: string): Promise<boolean>;
}

export interface RoundsContext {
  /** Where earlier attempts of the page got to (resumePoint); null: from its first user. */
  resumed: PageCheckpoint | null;
  heartbeat(checkpoint: PageCheckpoint): void;
  /** Aborted when the attempt is cancelled or timed out: no round starts after that. */
  signal: AbortSignal;
  isolation: Isolation;
  /** Told of each user given up on (logged and counted there). */
  gaveUp(failed: FailedEntry): void;
}

export interface RoundsOutcome {
  /** Users of the page signalled, by this attempt and the ones before it. */
  entered: number;
  /** Users of the page given up on, by this attempt and the ones before it, in the page's order. */
  failed: FailedEntry[];
}

const reasonOf = (err: unknown): string => describeError(err).slice(0, REASON_CHARS);

/**
 * Signals `userIds` `concurrency` at a time and heartbeats a checkpoint
 * after each round. An attempt that timed out (Temporal slow, a worker
 * stopped) leaves the next one to go on after the last user it settled
 * (resumePoint), rather than from the page's first user: each attempt
 * moves the page on, so a tick ends however slow Temporal is.
 *
 * A user whose entry fails is kept apart (Isolation): a refusal for good is
 * given up on at once; on a retried attempt, any other failure is sent
 * again alone, and given up on when it fails again while Temporal answers
 * and the failure is not Temporal's own. Anything else fails the attempt,
 * once the round's other calls are done. Each user given up on is reported
 * and passed: the checkpoint moves past them.
 */
export async function enterInRounds(userIds: readonly string[], enter: (userId: string) => Promise<void>, ctx: RoundsContext, concurrency: number): Promise<RoundsOutcome> {
  let entered = ctx.resumed?.entered ?? 0;
  const failed = [...(ctx.resumed?.failed ?? [])];
  let last = ctx.resumed;
  const beat = (through: string) => {
    last = { through, entered, ...(failed.length > 0 ? { failed: [...failed] } : {}) };
    ctx.heartbeat(last);
  };
  for (let i = 0; i < userIds.length; i += concurrency) {
    ctx.signal.throwIfAborted();
    const round = userIds.slice(i, i + concurrency);
    // Settled, not Promise.all: a round's failure waits for its other calls, so none runs on beside the retry.
    const results = await Promise.allSettled(round.map((userId) => enter(userId)));
    const mayPass = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !ctx.isolation.refusedForGood(r.reason));
    if (mayPass && !ctx.isolation.retryAlone) throw mayPass.reason;
    // In the page's order, each user given up on heartbeated at once: an attempt that fails or runs out of time
    // after it goes on after them (and reports them), rather than trying and counting them again.
    for (const [k, r] of results.entries()) {
      if (r.status === 'fulfilled') {
        entered++;
        continue;
      }
      let err: unknown = r.reason;
      if (!ctx.isolation.refusedForGood(err)) {
        ctx.signal.throwIfAborted();
        // Alive before each call alone (each bounded at 30 s, the probe after it at seconds): within the heartbeat timeout.
        if (k > 0) beat(round[k - 1]);
        else if (last) ctx.heartbeat(last);
        const alone = await (ctx.isolation.enterAlone ?? (async (userId: string) => (await enter(userId), true)))(round[k]).then(
          (counted) => ({ counted }),
          (again: unknown) => ({ again }),
        );
        if ('counted' in alone) {
          // Left out (entered by the other run meanwhile): settled, not counted.
          if (alone.counted) entered++;
          beat(round[k]);
          continue;
        }
        err = alone.again;
        // Cancelled (a worker stopping, the tick cancelled, the heartbeat late): the call's failure says nothing of the user.
        if (ctx.signal.aborted) throw err;
        const theUsersOwn = ctx.isolation.refusedForGood(err) || (!ctx.isolation.temporalsOwn(err) && (await ctx.isolation.temporalAnswers()));
        if (!theUsersOwn) throw err;
      }
      const entry = { userId: round[k], reason: reasonOf(err) };
      failed.push(entry);
      ctx.gaveUp(entry);
      beat(round[k]);
    }
    if (last?.through !== round[round.length - 1]) beat(round[round.length - 1]);
  }
  return { entered, failed };
}
