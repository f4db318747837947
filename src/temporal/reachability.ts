import { isUnreachable } from './connectivity';

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
