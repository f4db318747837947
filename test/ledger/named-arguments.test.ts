import { count, poolUsed, startLedger, type LedgerFixture } from './ledger-fixture';

/**
 * The ledger functions take their request as named jsonb fields (migration
 * 1764800000000); the positional versions stay for workers of the previous
 * release during a rolling deploy. Both must be one ledger.
 */
describe('ledger functions with named arguments', () => {
  let f: LedgerFixture;
  beforeAll(async () => {
    f = await startLedger();
    await f.createPool({ key: 'eur-named', kind: 'credit', budget: 500, currency: 'EUR' });
    await f.createPool({ key: 'pts-roll', kind: 'points', budget: 1000 });
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

  it('a key issued and reclaimed by the previous release through the positional functions is the same reward to this one', async () => {
    const [old]: Array<{ o_outcome: string; o_reward: { id: string } }> = await f.ds.query(
      `select * from kairos_issue_reward('roll:1', 'spend', 1, 'u-roll', 's', array['ord-r'], 'points', 25, null, 'pts-roll', false, false)`,
    );
    expect(old.o_outcome).toBe('issued');
    const again = await f.rewards.issue({
      idempotencyKey: 'roll:1',
      campaignKey: 'spend',
      campaignVersion: 1,
      userId: 'u-roll',
      stepId: 's',
      causedBy: ['ord-r'],
      action: { type: 'points', amount: 25, pool: 'pts-roll' },
    });
    expect(again).toMatchObject({ outcome: 'issued', reward: { id: old.o_reward.id, amount: 25 } });
    expect(await poolUsed(f.ds, 'pts-roll')).toBe(25);

    const [oldReclaim]: Array<{ o_outcome: string }> = await f.ds.query(`select * from kairos_reclaim_reward('roll:1', 'ord-r', 'refund')`);
    expect(oldReclaim.o_outcome).toBe('reversed');
    expect(await f.rewards.reclaim('roll:1', 'ord-r', 'refund')).toMatchObject({ outcome: 'reversed', reward: { id: old.o_reward.id, status: 'reclaimed' } });
    expect(await poolUsed(f.ds, 'pts-roll')).toBe(0);
    // One issue entry and one reversal: the second reclaim, through the other version, wrote nothing.
    expect(await count(f.ds, `select count(*) from points_entries where user_id = 'u-roll'`)).toBe(2);
  });
});
