import { CancellationScope } from '@temporalio/workflow';
import type { RunAction } from '../../domain/machine';

/** One message or webhook on its way: waiting out quiet hours, or its activity running or retrying. */
export interface ActionInFlight {
  readonly effect: RunAction;
  /** Everything the action waits on runs in this scope: cancelling it stops the wait, or the activity. */
  readonly scope: CancellationScope;
  /** Why it was stopped, once it was. */
  stoppedBecause?: string;
}

/**
 * Messages and webhooks not yet sent, which an exit (their path ended) or a
 * cancel of their causing event stops (patch cancel-stops-effects). Before
 * it, a webhook retried for minutes after an exit, and a message waiting out
 * quiet hours went out though its order had been refunded meanwhile.
 * Stopping cancels the scope: a timer ends at once and the activity is
 * cancelled, so it is not tried again; an attempt already under way may
 * still reach its receiver (the call is not cut off mid-way).
 */
export class StoppableActions {
  private readonly inFlight = new Map<string, ActionInFlight>();

  begin(effect: RunAction): ActionInFlight {
    const flight: ActionInFlight = { effect, scope: new CancellationScope() };
    this.inFlight.set(effect.idempotencyKey, flight);
    return flight;
  }

  end(flight: ActionInFlight): void {
    if (this.inFlight.get(flight.effect.idempotencyKey) === flight) this.inFlight.delete(flight.effect.idempotencyKey);
  }

  /** Stopped and not yet settled: a continue-as-new waits for these rather than start them again. */
  get stopping(): number {
    let n = 0;
    for (const flight of this.inFlight.values()) if (flight.stoppedBecause !== undefined) n++;
    return n;
  }

  stopWhere(matches: (effect: RunAction) => boolean, reason: string): void {
    for (const flight of this.inFlight.values()) {
      if (flight.stoppedBecause !== undefined || !matches(flight.effect)) continue;
      flight.stoppedBecause = reason;
      flight.scope.cancel();
    }
  }
}
