import { upsertSearchAttributes } from '@temporalio/workflow';
import { journeyStateSearchAttribute } from './contract';

/**
 * The JourneyState search attribute. Each upsert is a history event and a
 * write to the visibility store, so (patch `lean-journey-history`) it is
 * shown once per batch of inputs and only when it changed; journeys from
 * before the patch upsert on every change, as they did.
 */
export class ShownJourneyState {
  private wanted: string | undefined;

  constructor(
    private readonly coalesce: boolean,
    /** What the previous run showed last (carried across continue-as-new). */
    private shown?: string,
  ) {}

  get lastShown(): string | undefined {
    return this.shown;
  }

  show(value: string): void {
    if (this.coalesce) this.wanted = value;
    else this.upsert(value);
  }

  /** Upserts what is wanted, if it differs from what is shown. */
  flush(): void {
    if (this.wanted !== undefined && this.wanted !== this.shown) this.upsert(this.wanted);
    this.wanted = undefined;
  }

  private upsert(value: string): void {
    upsertSearchAttributes([{ key: journeyStateSearchAttribute, value }]);
    this.shown = value;
  }
}
