import { ApplicationFailure, QueryNotRegisteredError, WorkflowUpdateFailedError } from '@temporalio/client';
import { isRunStarting, onceRunStarted } from './run-start';

const noQueryHandler = () => new QueryNotRegisteredError('Workflow did not register a handler for state. Registered queries: []', 3);
const updateRefused = (message: string, type?: string) => new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ message, type, nonRetryable: true }));

/** A call that fails with each of `failures` in turn, then answers `ok`. */
function flaky(failures: unknown[]): { call: () => Promise<string>; calls: () => number } {
  let n = 0;
  return {
    call: async () => {
      const failure = failures[n++];
      if (failure !== undefined) throw failure;
      return 'ok';
    },
    calls: () => n,
  };
}

describe('isRunStarting', () => {
  it('is a query or an update that found no handler yet', () => {
    expect(isRunStarting(noQueryHandler())).toBe(true);
    expect(isRunStarting(updateRefused('No registered handler for update: retryAction'))).toBe(true);
  });

  it('is not a refusal by the journey, a failure without a cause, or anything else', () => {
    expect(isRunStarting(updateRefused('nothing is held', 'NotHeld'))).toBe(false);
    expect(isRunStarting(new WorkflowUpdateFailedError('Workflow Update failed', undefined))).toBe(false);
    expect(isRunStarting(new Error('No registered handler for update: retryAction'))).toBe(false);
    expect(isRunStarting(undefined)).toBe(false);
  });
});

describe('onceRunStarted', () => {
  it('asks again while the run is starting, and answers what the started run says', async () => {
    const f = flaky([noQueryHandler(), updateRefused('No registered handler for update: skipAction')]);
    await expect(onceRunStarted(f.call)).resolves.toBe('ok');
    expect(f.calls()).toBe(3);
  });

  it('does not ask again after any other failure', async () => {
    const held = updateRefused('nothing is held', 'NotHeld');
    const f = flaky([held]);
    await expect(onceRunStarted(f.call)).rejects.toBe(held);
    expect(f.calls()).toBe(1);
  });

  it('gives up with the last failure once the wait is over', async () => {
    const f = flaky(Array.from({ length: 100 }, noQueryHandler));
    // A wait of a second: long beside the first pauses (25 ms, then doubling), so a loaded machine's stall of the
    // first call cannot end it before a second ask; far short of the 100 failures' worth of pauses.
    await expect(onceRunStarted(f.call, 1_000)).rejects.toBeInstanceOf(QueryNotRegisteredError);
    expect(f.calls()).toBeGreaterThan(1);
    expect(f.calls()).toBeLessThan(100);
  });
});
