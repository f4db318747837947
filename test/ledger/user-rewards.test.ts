import type { DataSource } from 'typeorm';
import { decodeRewardsCursor, encodeRewardsCursor } from '../../src/api/rewards/rewards-cursor';
import type { RewardPosition } from '../../src/store/repositories/rewards.repository';
import { statementsOf } from '../support/statement-spy';
import { issueInput, startLedger, type LedgerFixture } from './ledger-fixture';

/** How many rewards the paged user has: more than the most one answer lists (limit 1000). */
const MANY = 1500;

/**
 * Rewards written straight into the table: the read is under test, not the issue. Three at a time share
 * created_at to the microsecond (as a batch's rewards share its transaction's now()), and every one of them
 * falls in a few milliseconds of its day, so a position kept to the millisecond would skip or repeat some.
 */
async function seedMany(ds: DataSource, userId: string): Promise<void> {
  await ds.query(
    `insert into rewards (idempotency_key, campaign_key, campaign_version, user_id, step_id, kind, amount, caused_by, created_at)
     select 'many:' || i, 'spend', 1, $1, 'step', 'points', 1, array['buy-' || i, 'promo-' || (i % 2)],
            timestamptz '2026-03-01 10:00Z' + (i / 300) * interval '1 day' + (i / 3) * interval '1 microsecond'
       from generate_series(1, ${MANY}) i`,
    [userId],
  );
}

describe("a user's rewards, paged back and narrowed to what one event caused", () => {
  let f: LedgerFixture;
  beforeAll(async () => {
    f = await startLedger();
    await seedMany(f.ds, 'u-many');
    await f.ds.query('analyze rewards');
  });
  afterAll(async () => f?.stop());

  const keys = (rows: Array<{ id: string }>) => rows.map((r) => r.id);
  /** Every reward of the user in the list's order (oldest first): what the pages must add up to. */
  const everyId = async (userId: string) => keys(await f.ds.query(`select id from rewards where user_id = $1 order by created_at, id`, [userId]));

  it('lists every reward without a limit, as before, and says of none that older remain', async () => {
    const all = await f.rewards.forUser('u-many');
    expect({ listed: all.rewards.length, total: all.total, older: all.older }).toEqual({ listed: MANY, total: MANY, older: null });
    expect(keys(all.rewards)).toEqual(await everyId('u-many'));
  });

  it('pages back from the newest 1000 to the other 500, each reward once, with the total of all both times', async () => {
    const newest = await f.rewards.forUser('u-many', { limit: 1000 });
    expect({ listed: newest.rewards.length, total: newest.total }).toEqual({ listed: 1000, total: MANY });
    expect(newest.older).not.toBeNull();
    const rest = await f.rewards.forUser('u-many', { limit: 1000, before: newest.older ?? undefined });
    expect({ listed: rest.rewards.length, total: rest.total, older: rest.older, balances: rest.balances }).toEqual({ listed: 500, total: MANY, older: null, balances: newest.balances });
    expect([...keys(rest.rewards), ...keys(newest.rewards)]).toEqual(await everyId('u-many'));
  });

  it('walks every reward once in small pages across rewards that share their time, through the opaque cursor', async () => {
    const pages: string[][] = [];
    let before: RewardPosition | undefined;
    do {
      const page = await f.rewards.forUser('u-many', { limit: 7, before });
      pages.unshift(keys(page.rewards));
      // As the API hands it out and takes it back.
      before = page.older ? decodeRewardsCursor(encodeRewardsCursor(page.older)) : undefined;
    } while (before && pages.length <= MANY);
    expect(pages.flat()).toEqual(await everyId('u-many'));
    expect(pages.map((p) => p.length)).toEqual([MANY % 7, ...Array<number>(Math.floor(MANY / 7)).fill(7)]);
  });

  it("lists only the rewards an event caused, the user's own, while the total and the balances count every one", async () => {
    const mine = issueInput({ type: 'points', amount: 40 }, { userId: 'u-causes', causedBy: ['ord-1', 'refund-me'] });
    const other = issueInput({ type: 'points', amount: 2 }, { userId: 'u-causes', causedBy: ['ord-2'] });
    const elsewhere = issueInput({ type: 'points', amount: 3 }, { userId: 'u-someone-else', causedBy: ['refund-me'] });
    for (const r of [mine, other, elsewhere]) await f.activities.issueReward(r);
    const caused = await f.rewards.forUser('u-causes', { causedBy: 'refund-me' });
    expect(caused.rewards.map((r) => [r.amount, r.causedBy])).toEqual([[40, ['ord-1', 'refund-me']]]);
    expect({ total: caused.total, balances: caused.balances, older: caused.older }).toEqual({ total: 2, balances: { points: 42, credit: {} }, older: null });
    // Not a prefix, not a part of an id: the whole event id.
    expect((await f.rewards.forUser('u-causes', { causedBy: 'refund' })).rewards).toEqual([]);
  });

  it('pages what an event caused with the same cursor, and finds it through the caused_by index, not every reward of the user', async () => {
    const promo = keys(await f.ds.query(`select id from rewards where user_id = 'u-many' and 'promo-1' = any(caused_by) order by created_at, id`));
    const newest = await f.rewards.forUser('u-many', { causedBy: 'promo-1', limit: 600 });
    const rest = await f.rewards.forUser('u-many', { causedBy: 'promo-1', limit: 600, before: newest.older ?? undefined });
    expect([...keys(rest.rewards), ...keys(newest.rewards)]).toEqual(promo);
    expect({ first: newest.rewards.length, then: rest.rewards.length, older: rest.older, total: rest.total }).toEqual({ first: 600, then: MANY / 2 - 600, older: null, total: MANY });

    const { statements } = await statementsOf(() => f.rewards.forUser('u-many', { causedBy: 'buy-77', limit: 20 }));
    const listing = statements.find((s) => s.text.includes('caused_by @>'));
    if (!listing) throw new Error('no statement read rewards by caused_by');
    const [{ 'QUERY PLAN': plan }]: Array<{ 'QUERY PLAN': unknown }> = await f.ds.query(`explain (format json) ${listing.text}`, listing.values);
    expect(JSON.stringify(plan)).toContain('rewards_caused_by_idx');
  });
});
