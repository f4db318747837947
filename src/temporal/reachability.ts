const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

/**
 * Whether Temporal was out of reach: UNAVAILABLE, or a deadline that ran out
 * before any server took the call (gRPC names the server's address,
 * `remote_addr=`, once one has; a call that reached a busy Temporal is not an
 * outage), possibly wrapped by the Temporal client.
 */
export function isUnreachable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 3) return false;
  const e = err as { code?: unknown; details?: unknown; message?: unknown; cause?: unknown };
  if (e.code === GRPC_UNAVAILABLE) return true;
  if (e.code === GRPC_DEADLINE_EXCEEDED) {
    const said = `${typeof e.details === 'string' ? e.details : ''} ${typeof e.message === 'string' ? e.message : ''}`;
    return !said.includes('remote_addr=');
  }
  return isUnreachable(e.cause, depth + 1);
}

/**
 * What the last calls said about reaching Temporal: a call that found it
 * unreachable is remembered for `rememberMs`; one that succeeds forgets it
 * at once. Other failures leave it be: they may not be Temporal's at all.
 */
export class Reachability {
  private unreachableUntil = 0;

  constructor(
    private readonly rememberMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  knownUnreachable(): boolean {
    return this.now() < this.unreachableUntil;
  }

  /** Passes `call` on, noting what it says about reaching Temporal. */
  watch<T>(call: Promise<T>): Promise<T> {
    return call.then(
      (value) => {
        this.unreachableUntil = 0;
        return value;
      },
      (err: unknown) => {
        if (isUnreachable(err)) this.unreachableUntil = this.now() + this.rememberMs;
        throw err;
      },
    );
  }
}
