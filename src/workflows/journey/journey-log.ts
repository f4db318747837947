import type { RecordTransition } from '../../domain/machine';
import type { Activities } from '../../activities';
import { journeyLog, journeyLogProfile, mustComplete, mustCompleteProfile } from './activity-profiles';
import type { ShellIdentity } from './shell-options';

export type LogEntry = RecordTransition & { seq: number };
export type TransitionRecord = Parameters<Activities['recordTransition']>[0];

/** Entries handed to another local activity to write (a reward's); the writer waits until they are settled. */
export interface LogHandOff {
  records: TransitionRecord[];
  /** written: the other activity wrote them; otherwise they are written again here, first. */
  settle(written: boolean): void;
}

/** Most transitions one local activity writes; keeps its input and marker small. */
const ENTRIES_PER_WRITE = 100;

/**
 * The journey log (journey_transitions, what analytics read): entries are
 * written in the journey's order, each exactly once (idempotent by key).
 *
 * Batched (patch `lean-journey-history`): one local activity writes whatever
 * queued while the previous write ran, so a journey's log costs a marker per
 * batch instead of an activity task, a workflow task and three history
 * events per transition. Journeys that started before the patch replay as
 * they ran: one `recordTransition` activity per entry, one after another.
 */
export class JourneyLogWriter {
  private readonly queue: Array<{ entry: LogEntry; done: () => void }> = [];
  private writing = false;
  /** While held, entries only queue: a step's effects are all known before its log is written (or handed off). */
  private held = false;
  /** Serial mode: each write starts after the previous one. */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly id: ShellIdentity,
    private readonly batched: boolean,
  ) {}

  /** Resolves once the entry is stored. */
  write(entry: LogEntry): Promise<void> {
    if (!this.batched) return (this.tail = this.tail.then(() => this.writeOne(entry)));
    return new Promise<void>((done) => {
      this.queue.push({ entry, done });
      this.startDrain();
    });
  }

  /** Entries written from now on wait for release() (or a handOff). */
  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    this.startDrain();
  }

  /**
   * While held and idle: the queued entries, for a local activity that is
   * scheduled anyway to write them first. The writer stays busy until they
   * are settled, so the log keeps the journey's order.
   */
  handOff(): LogHandOff | undefined {
    if (!this.batched || !this.held || this.writing || this.queue.length === 0) return undefined;
    this.writing = true;
    const batch = this.queue.splice(0, ENTRIES_PER_WRITE);
    return {
      records: batch.map((b) => this.record(b.entry)),
      settle: (written) => {
        if (written) for (const b of batch) b.done();
        else this.queue.unshift(...batch);
        void this.drain();
      },
    };
  }

  private startDrain(): void {
    if (this.writing || this.held || this.queue.length === 0) return;
    this.writing = true;
    void this.drain();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, ENTRIES_PER_WRITE);
      await journeyLog.recordTransitions.executeWithOptions({ ...journeyLogProfile, summary: `journey log: ${batch.length} ${batch.length === 1 ? 'entry' : 'entries'}` }, [
        { records: batch.map((b) => this.record(b.entry)) },
      ]);
      for (const b of batch) b.done();
    }
    // Set in the same turn as the emptiness check: an entry queued after it starts a new drain.
    this.writing = false;
  }

  private async writeOne(entry: LogEntry): Promise<void> {
    await mustComplete.recordTransition.executeWithOptions({ ...mustCompleteProfile, summary: `journey log: ${entry.from ?? '(entry)'} → ${entry.to}` }, [this.record(entry)]);
  }

  private record(e: LogEntry): TransitionRecord {
    return {
      idempotencyKey: `${this.id.logKeyPrefix}${e.seq}`,
      campaignKey: this.id.campaignKey,
      campaignVersion: this.id.campaignVersion,
      userId: this.id.userId,
      workflowId: this.id.workflowId,
      fromState: e.from,
      toState: e.to,
      at: e.at,
      cause: e.cause,
      pathId: e.pathId,
      ...(e.entryAt === undefined ? {} : { entryAt: e.entryAt }),
    };
  }
}
