/**
 * The effects the workflow shell has started and still awaits: the journey
 * may not end while any is outstanding, and continue-as-new carries them all
 * to the next run. Every start is its own entry. Keyed by what an effect is,
 * two reclaims for the same event (the cancel's, and the one for a reward that
 * was still being issued when the cancel came) shared `reclaim:<event>`: the
 * second replaced the first, and the first's completion dropped the second
 * (issue 11).
 */
export class OutstandingEffects<E> {
  private readonly entries = new Map<string, E>();
  private started = 0;

  /**
   * `legacyKey`: journeys from before patch distinct-reclaim-effects key their
   * effects by identity, and must keep doing so to replay as they ran.
   */
  constructor(private readonly legacyKey?: (effect: E) => string) {}

  /** Registers a started effect; `settle` it with the returned handle once it is done. */
  add(effect: E): string {
    const handle = this.legacyKey ? this.legacyKey(effect) : `#${++this.started}`;
    this.entries.set(handle, effect);
    return handle;
  }

  settle(handle: string): void {
    this.entries.delete(handle);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Every effect still awaited, in the order started. */
  values(): E[] {
    return [...this.entries.values()];
  }
}
