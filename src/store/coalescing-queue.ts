/** One submitted item, waiting for its group to settle it. */
export interface Pending<I, O> {
  readonly item: I;
  resolve(value: O): void;
  reject(err: unknown): void;
}

export interface CoalescingQueueOptions<I> {
  /** Groups running at once. */
  inFlight: number;
  /** The most weight one group carries; an item heavier than that still goes, alone. */
  maxWeight: number;
  /** An item's weight (default 1). */
  weight?: (item: I) => number;
  /**
   * Milliseconds a group waits for company after its first item arrives,
   * unless it is full sooner (default 0: it goes at once). Only for work no
   * caller is waiting on to answer, such as bookkeeping after a reply,
   * unless `gatherWhile` limits it to times of load.
   */
  gatherMs?: number;
  /**
   * Whether a new group waits out `gatherMs` now (default: always). Asked
   * when a group's first item arrives: under light load a lone item then
   * goes at once, and only under load, when company is sure to come within
   * the window, does it wait for it.
   */
  gatherWhile?: () => boolean;
}

/**
 * Groups concurrent submissions: whatever arrives while `inFlight` groups
 * are running waits and goes in the next group, up to `maxWeight`. By
 * default nothing waits for a timer: a lone item goes at once, as a group of
 * one, so under light load a call costs what it did alone, and under load
 * many calls share one round trip and one commit. With `gatherMs`, a group
 * waits that long for more items (or until it is full) before it goes.
 *
 * `run` settles each pending item of its group (resolve or reject). What it
 * leaves unsettled is rejected: with its error if it throws, else with one
 * saying so (a bug in `run`, made loud rather than a call that never ends).
 */
export class CoalescingQueue<I, O> {
  private readonly queue: Array<Pending<I, O>> = [];
  private running = 0;
  /** Weight queued; the gather timer while one runs; whether what is queued has waited its window out. */
  private queuedWeight = 0;
  private gathering: NodeJS.Timeout | null = null;
  private due = false;
  /** Groups running now (their settling), for idle(). */
  private readonly runningGroups = new Set<Promise<void>>();
  private readonly weight: (item: I) => number;

  constructor(
    private readonly run: (group: Array<Pending<I, O>>) => Promise<void>,
    private readonly options: CoalescingQueueOptions<I>,
  ) {
    if (!(options.inFlight >= 1) || !(options.maxWeight >= 1)) throw new RangeError('inFlight and maxWeight must be at least 1');
    if (!((options.gatherMs ?? 0) >= 0)) throw new RangeError('gatherMs must be 0 or more');
    this.weight = options.weight ?? (() => 1);
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.queuedWeight += this.weight(item);
      this.next();
    });
  }

  /** Sends what is queued as soon as a slot is free, without waiting out a gather window (shutdown). */
  flush(): void {
    this.due = this.queue.length > 0;
    this.next();
  }

  /** Resolves once nothing is queued or running, sending without gather windows meanwhile (shutdown). */
  async idle(): Promise<void> {
    while (this.queue.length > 0 || this.runningGroups.size > 0) {
      this.flush();
      await Promise.all([...this.runningGroups]);
    }
  }

  private next(): void {
    const gatherMs = this.options.gatherMs ?? 0;
    if (gatherMs > 0 && !this.due && this.queue.length > 0 && this.queuedWeight < this.options.maxWeight && (this.gathering || (this.options.gatherWhile?.() ?? true))) {
      // The first item starts the window; what arrives meanwhile joins it.
      this.gathering ??= setTimeout(() => {
        this.gathering = null;
        this.due = true;
        this.next();
      }, gatherMs);
      return;
    }
    if (this.gathering) clearTimeout(this.gathering);
    this.gathering = null;
    while (this.running < this.options.inFlight && this.queue.length > 0) {
      let weight = 0;
      let take = 0;
      while (take < this.queue.length && (take === 0 || weight + this.weight(this.queue[take].item) <= this.options.maxWeight)) {
        weight += this.weight(this.queue[take++].item);
      }
      const group = this.queue.splice(0, take);
      this.queuedWeight -= weight;
      if (this.queue.length === 0) this.due = false;
      this.running++;
      const settled = this.settle(group).finally(() => {
        this.running--;
        this.next();
      });
      this.runningGroups.add(settled);
      void settled.then(() => this.runningGroups.delete(settled));
    }
  }

  private async settle(group: Array<Pending<I, O>>): Promise<void> {
    let open = group.length;
    const tracked = group.map((p): Pending<I, O> & { settled: boolean } => {
      const t = {
        item: p.item,
        settled: false,
        resolve: (value: O) => {
          if (t.settled) return;
          t.settled = true;
          open--;
          p.resolve(value);
        },
        reject: (err: unknown) => {
          if (t.settled) return;
          t.settled = true;
          open--;
          p.reject(err);
        },
      };
      return t;
    });
    let failure: unknown = null;
    try {
      await this.run(tracked);
    } catch (err) {
      failure = err;
    }
    if (open === 0) return;
    const reason = failure ?? new Error(`a coalesced group of ${group.length} left ${open} unsettled`);
    for (const t of tracked) t.reject(reason);
  }
}
