import type { Logger } from '@nestjs/common';
import type { SendOutcome, SignalOutboxRepository } from '../../store/repositories/signal-outbox.repository';
import { OutcomeRecorder, RECORD_GATHER_MS } from './outcome-recorder';

/** A repository that answers at once and remembers which outcomes each statement wrote. */
function recordingOutbox() {
  const statements: number[][] = [];
  const outbox = {
    record: async (outcomes: readonly SendOutcome[]) => {
      statements.push(outcomes.map((o) => o.id));
      return [];
    },
  };
  return { statements, outbox: outbox as unknown as SignalOutboxRepository };
}

const delivered = (id: number) => ({ workflowId: `w-${id}`, outcome: { id, outcome: 'delivered' as const, claim: 0 } });
const failed = (id: number) => ({ workflowId: `w-${id}`, outcome: { id, error: 'Temporal did not answer', retryInMs: 1_000, claim: 0 } });
const logger = { warn: jest.fn(), error: jest.fn() } as unknown as Logger;

describe('OutcomeRecorder', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('gathers delivered outcomes for the window into one statement, and knows them as closed until then', async () => {
    const { statements, outbox } = recordingOutbox();
    const recorder = new OutcomeRecorder(outbox, async () => undefined, logger);
    const written = [recorder.record([delivered(1)])];
    jest.advanceTimersByTime(RECORD_GATHER_MS - 1);
    written.push(recorder.record([delivered(2), delivered(3)]));
    expect(statements).toEqual([]);
    expect(recorder.closedUnrecorded(['w-1', 'w-3', 'w-9']).sort()).toEqual([1, 3]);
    jest.advanceTimersByTime(1);
    expect(statements).toEqual([[1, 2, 3]]);
    await Promise.all(written);
    expect(recorder.closedUnrecorded(['w-1', 'w-3'])).toEqual([]);
  });

  it('writes a failure at once, with whatever delivered outcomes were gathering', async () => {
    const { statements, outbox } = recordingOutbox();
    const recorder = new OutcomeRecorder(outbox, async () => undefined, logger);
    const gathering = recorder.record([delivered(1)]);
    const failure = recorder.record([failed(2)]);
    // No timer has run: the failure did not wait out the window.
    await failure;
    expect(statements).toEqual([[1, 2]]);
    await gathering;
  });
});
