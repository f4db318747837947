/**
 * A warning that repeats while a trouble lasts (Temporal away, every round
 * failing, a broker refusing a source) is said at most once per `everyMs`;
 * `clear()` when it is over, so the next trouble is said at once. With
 * `perText`, each different text has its own period: another reason is said
 * at once, and two that alternate are each said once per period.
 */
export class ThrottledWarning {
  /** When each text (or, without perText, any text) was last said. */
  private readonly saidAt = new Map<string, number>();

  constructor(
    private readonly everyMs: number,
    private readonly warn: (text: string) => void,
    private readonly opts: { perText?: boolean; now?: () => number } = {},
  ) {}

  say(text: string): void {
    const now = (this.opts.now ?? Date.now)();
    const key = this.opts.perText === true ? text : '';
    const last = this.saidAt.get(key);
    if (last !== undefined && now - last < this.everyMs) return;
    // Texts carry reasons from outside (a broker's words): keep the memory small whatever they are.
    if (this.saidAt.size >= 100) this.saidAt.clear();
    this.saidAt.set(key, now);
    this.warn(text);
  }

  clear(): void {
    this.saidAt.clear();
  }
}
