import { ledgerRetries, LEDGER_RETRY_REASONS } from './ledger-retries.metric';

describe('kairos_ledger_retries_total', () => {
  it('shows every reason from the start, at 0, so the first retry is an increase Prometheus sees', async () => {
    const { values } = await ledgerRetries.get();
    expect(values.map((v) => [v.labels.reason, v.value]).sort()).toEqual(LEDGER_RETRY_REASONS.map((r) => [r, 0]).sort());
  });
});
