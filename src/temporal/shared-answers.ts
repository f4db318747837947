/**
 * Answers to the same question shared for a moment: whoever asks while an
 * answer is on its way waits for that one, and whoever asks within `ttlMs`
 * after it came gets it too. For Temporal visibility counts that every open
 * console tab polls: however many people watch, each count is asked about
 * once per `ttlMs` (visibility trails a start or an end by a moment anyway).
 * A failure is not kept: the next caller asks again.
 */
export class SharedAnswers<V> {
  private readonly entries = new Map<string, { answer: Promise<V>; cameAt?: number }>();

  constructor(
    private readonly ttlMs: number,
    /** Questions remembered at most; the oldest are forgotten first. */
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(question: string, ask: () => Promise<V>): Promise<V> {
    const known = this.entries.get(question);
    if (known && (known.cameAt === undefined || this.now() - known.cameAt < this.ttlMs)) return known.answer;
    const entry: { answer: Promise<V>; cameAt?: number } = { answer: ask() };
    this.entries.delete(question);
    this.entries.set(question, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    entry.answer.then(
      () => {
        entry.cameAt = this.now();
      },
      () => {
        if (this.entries.get(question) === entry) this.entries.delete(question);
      },
    );
    return entry.answer;
  }
}
