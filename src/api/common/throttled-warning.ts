/**
 * A warning that repeats while a trouble lasts (Temporal away, every round
 * failing) is said at most once per `everyMs`; `clear()` when it is over, so
 * the next trouble is said at once.
 */
export class ThrottledWarning {
  private warnedAt: number | null = null;

  constructor(
    private readonly everyMs: number,
    private readonly warn: (text: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  say(text: string): void {
    const now = this.now();
    if (this.warnedAt !== null && now - this.warnedAt < this.everyMs) return;
    this.warnedAt = now;
    this.warn(text);
  }

  clear(): void {
    this.warnedAt = null;
  }
}
