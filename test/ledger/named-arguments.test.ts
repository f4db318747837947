import { count, poolUsed, startLedger, type LedgerFixture } from './ledger-fixture';

/**
 * The ledger functions take their request as named jsonb fields (migration
 * 1764800000000). The positional versions it kept for the rolling deploy
 * from the release before are dropped (migration 1767400000000).
 */
describe('ledger functions with named arguments', () => {
  let f: LedgerFixture;
  beforeAll(async () => {
    f = await startLedger();
    await f.createPool({ key: 'eur-named', kind: 'credit', budget: 500, currency: 'EUR' });
  });
  afterAll(async () => f?.stop());

  it('every named field reaches the reward row', async () => {
    const result = await f.rewards.issue({
      idempotencyKey: 'named:1',
      campaignKey: 'named-campaign',
      campaignVersion: 7,
      userId: 'u-named',
      stepId: 'pay-back',
      causedBy: ['ord-a', 'ord-b'],
      action: { type: 'credit', amount: 12.25, currency: 'EUR', pool: 'eur-named' },
    });
    expect(result).toMatchObject({
      outcome: 'issued',
      detail: null,
      reward: {
        idempotencyKey: 'named:1',
        campaignKey: 'named-campaign',
        campaignVersion: 7,
        userId: 'u-named',
        stepId: 'pay-back',
        causedBy: ['ord-a', 'ord-b'],
        kind: 'credit',
        amount: 12.25,
        currency: 'EUR',
        pool: 'eur-named',
        status: 'issued',
      },
    });
    expect(await poolUsed(f.ds, 'eur-named')).toBe(12.25);
    const reclaimed = await f.rewards.reclaim('named:1', 'ord-b', 'refund');
    expect(reclaimed).toMatchObject({ outcome: 'reversed', reward: { status: 'reclaimed' } });
    expect(await f.rewards.reclaimedBy('ord-b')).toEqual([{ idempotencyKey: 'named:1', rewardId: result.reward?.id, outcome: 'reversed', reason: 'refund', at: expect.any(String) }]);
  });

  it('only the jsonb ledger functions are installed: the positional ones, which never read reward_answers, are dropped (review 56, finding 3)', async () => {
    expect(
      await count(
        f.ds,
        `select count(*) from pg_proc where proname in ('kairos_issue_reward', 'kairos_reclaim_reward') and pg_get_function_identity_arguments(oid) like 'p_key text%'`,
      ),
    ).toBe(0);
    const installed: Array<{ fn: string }> = await f.ds.query(
      `select oid::regprocedure::text as fn from pg_proc
        where proname in ('kairos_issue_reward', 'kairos_reclaim_reward', 'kairos_issue_rewards')`,
    );
    expect(installed.map((r) => r.fn).sort()).toEqual([
      'kairos_issue_reward(jsonb,boolean)',
      'kairos_issue_rewards(jsonb)',
      'kairos_reclaim_reward(jsonb)',
    ]);
  });
});
