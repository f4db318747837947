import { CancellationScope, patched, sleep, workflowInfo } from '@temporalio/workflow';
import type { RunAction } from '../../domain/machine';
import { deliveryInputBytes, fitsInTask } from '../../domain/machine/delivery-inputs';
import { PATCHES } from './patches';

/**
 * What the message data and webhook bodies scheduled in one workflow task may
 * weigh in all (patch delivery-inputs-per-task). Every activity a task
 * schedules travels in one completion, which Temporal refuses past its 4 MB
 * gRPC limit (and the events written with it past its 4 MB transaction
 * limit); the task then fails on every attempt and the journey is lost.
 * 1.5 MiB leaves the rest of the task (other activities, timers, journey-log
 * entries, markers) room under both.
 */
export const TASK_DELIVERY_BYTES = 1536 * 1024;

/**
 * Spreads deliveries over workflow tasks: each message or webhook is admitted
 * in a task whose budget it fits, the first one in line always. A task is
 * told by the history length, which only a new task changes (the trick
 * JourneyShell's carriedWorkFits uses). Those waiting share one 1 ms timer
 * per task, not one each; one that comes while others wait waits too, so
 * none is passed over for ever by a stream of later ones.
 */
export class DeliveryBudget {
  /** The task (its history length) whose admitted inputs `spent` counts. */
  private task = -1;
  private spent = 0;
  /** Deliveries waiting for a later task: one that comes meanwhile queues behind them. */
  private waiting = 0;
  private laterTask?: { task: number; tick: Promise<void> };

  /**
   * `on`: the journey knows at its start that the patch is on (its start
   * recorded this marker, or a later one that stands for it), so it need not
   * ask again: a journey on a later marker would record this one too, at its
   * first wait.
   */
  constructor(private readonly on = false) {}

  /**
   * Null when `e` may be scheduled now, in this task; else a wait that
   * resolves in a later task with room for it. Null, not a resolved
   * promise: awaiting one would let other commands of the task go first,
   * and journeys from before would no longer replay. The wait ends with a
   * CancelledFailure when `scope` (the delivery's own) is cancelled: an exit
   * or a cancel of its cause still stops a delivery waiting here.
   */
  roomFor(e: RunAction, scope?: CancellationScope): Promise<void> | null {
    const bytes = deliveryInputBytes(e);
    if (this.waiting === 0 && this.take(bytes)) return null;
    // Asked only where a delivery would wait: a journey from before that replays schedules every delivery as it ran.
    if (this.waiting === 0 && !this.on && !patched(PATCHES.deliveryInputsPerTask)) return null;
    return this.waitInLine(bytes, scope);
  }

  private async waitInLine(bytes: number, scope?: CancellationScope): Promise<void> {
    this.waiting++;
    try {
      do await this.nextTask(scope);
      while (!this.take(bytes));
    } finally {
      this.waiting--;
    }
  }

  /** Counts `bytes` in the current task when they fit its budget. */
  private take(bytes: number): boolean {
    const task = workflowInfo().historyLength;
    if (task !== this.task) {
      this.task = task;
      this.spent = 0;
    }
    if (!fitsInTask(this.spent, bytes, TASK_DELIVERY_BYTES)) return false;
    this.spent += bytes;
    return true;
  }

  /** Resolves in a later task: one timer per task for all who wait, which no delivery's stop cancels for the others. */
  private nextTask(scope?: CancellationScope): Promise<void> {
    const task = workflowInfo().historyLength;
    if (this.laterTask?.task !== task) {
      const tick = CancellationScope.nonCancellable(() => sleep(1, { summary: 'messages and webhooks past the 1.5 MiB of this task wait for the next' }));
      this.laterTask = { task, tick };
    }
    return scope ? Promise.race([this.laterTask.tick, scope.cancelRequested]) : this.laterTask.tick;
  }
}
