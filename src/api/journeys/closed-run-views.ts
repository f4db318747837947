/** Closed runs remembered at most; the least recently read are forgotten first. */
export const MAX_CLOSED_RUN_VIEWS = 5_000;
/** How long a closed run that could not answer is not asked again. */
export const NO_ANSWER_KEPT_MS = 60_000;

/**
 * What closed journey runs answered to `state`, by run id. A closed run's
 * history is final, so its answer never changes, and asking again makes a
 * worker replay the whole run (closed runs are not in its sticky cache), in
 * the workflow-task slots live journeys need. A run that could not answer
 * (it failed before its handlers existed, no worker took the query) is
 * remembered as `null` for NO_ANSWER_KEPT_MS only: it is not asked on every
 * poll, and is asked again once a worker may be back.
 */
export class ClosedRunViews<V> {
  /** A Map iterates in insertion order: re-inserting on a read keeps the least recently read first. */
  private readonly entries = new Map<string, { view: V | null; keptUntil: number }>();

  constructor(
    private readonly maxEntries = MAX_CLOSED_RUN_VIEWS,
    private readonly noAnswerMs = NO_ANSWER_KEPT_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The view kept for `runId`; `null` for a run that could not answer lately; undefined when nothing is kept (ask the run). */
  get(runId: string): V | null | undefined {
    const entry = this.entries.get(runId);
    if (!entry) return undefined;
    this.entries.delete(runId);
    if (this.now() >= entry.keptUntil) return undefined;
    this.entries.set(runId, entry);
    return entry.view;
  }

  keep(runId: string, view: V): void {
    this.put(runId, { view, keptUntil: Infinity });
  }

  keepNoAnswer(runId: string): void {
    this.put(runId, { view: null, keptUntil: this.now() + this.noAnswerMs });
  }

  private put(runId: string, entry: { view: V | null; keptUntil: number }): void {
    this.entries.delete(runId);
    this.entries.set(runId, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
