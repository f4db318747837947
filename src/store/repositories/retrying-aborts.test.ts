import { ledgerRetries, ledgerRetryCount, type LedgerRetryReason } from '../ledger/ledger-retries.metric';
import { retryingAborts } from './rewards.repository';

const aborted = (code: string) => Object.assign(new Error(`aborted ${code}`), { code });

describe('retryingAborts', () => {
  it('runs an aborted call again and counts each retry by its reason', async () => {
    const before = { deadlock: await ledgerRetryCount('deadlock'), serialization: await ledgerRetryCount('serialization') };
    const failures = [aborted('40P01'), aborted('40001'), aborted('40P01')];
    const result = await retryingAborts(async () => {
      const next = failures.shift();
      if (next) throw next;
      return 'done';
    });
    expect(result).toBe('done');
    expect(await ledgerRetryCount('deadlock')).toBe(before.deadlock + 2);
    expect(await ledgerRetryCount('serialization')).toBe(before.serialization + 1);
  });

  it('neither retries nor counts other errors', async () => {
    const before = await ledgerRetryCount('deadlock');
    let calls = 0;
    await expect(
      retryingAborts(async () => {
        calls += 1;
        throw aborted('23505');
      }),
    ).rejects.toThrow('aborted 23505');
    expect(calls).toBe(1);
    expect(await ledgerRetryCount('deadlock')).toBe(before);
  });

  it("counts a retry reported elsewhere (the worker's meter) there only, not on the API's kairos_ledger_retries_total as well", async () => {
    const onApi = async () => (await ledgerRetries.get()).values.find((v) => v.labels.reason === 'deadlock')?.value ?? 0;
    const [apiBefore, processBefore] = [await onApi(), await ledgerRetryCount('deadlock')];
    const reported: LedgerRetryReason[] = [];
    const failures = [aborted('40P01')];
    await retryingAborts(
      async () => {
        const next = failures.shift();
        if (next) throw next;
        return 'done';
      },
      (reason) => reported.push(reason),
    );
    expect(reported).toEqual(['deadlock']);
    expect(await onApi()).toBe(apiBefore);
    expect(await ledgerRetryCount('deadlock')).toBe(processBefore + 1);
    // Without a reporter of its own (the API's reclaims), the API's counter counts it.
    const again = [aborted('40P01')];
    await retryingAborts(async () => {
      const next = again.shift();
      if (next) throw next;
      return 'done';
    });
    expect(await onApi()).toBe(apiBefore + 1);
  });
});
