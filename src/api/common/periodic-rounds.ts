/**
 * A background round of work every `intervalMs`, one round at a time: the
 * next is scheduled when the last has ended, so a slow round (Temporal or
 * PostgreSQL away) never overlaps the next. A round that throws is reported
 * and the rounds go on. Stopping waits for the round under way. The timer
 * does not keep the process alive: the HTTP server does.
 */
export class PeriodicRounds {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly intervalMs: number,
    private readonly runRound: () => Promise<void>,
    private readonly onFailure: (err: Error) => void,
  ) {}

  /** True before start and after stop: a round under way ends early rather than claim more. */
  get isStopped(): boolean {
    return this.stopped;
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.runRound()
        .catch((err: unknown) => this.onFailure(err instanceof Error ? err : new Error(String(err))))
        .finally(() => {
          this.round = null;
          this.schedule();
        });
    }, this.intervalMs);
    this.timer.unref();
  }
}
