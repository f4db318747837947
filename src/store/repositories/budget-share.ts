/**
 * SQL: shard `shard`'s share when `amount` is spread over `shards` shards.
 * The amount's whole part is spread in whole units: floor(whole / shards)
 * each, and one more each to the first `whole mod shards` shards; shard 0
 * also takes the fraction. Computed in numeric, so the shares sum to the
 * amount exactly, which doubles could not promise. Creation spreads a budget
 * this way, a top-up what it adds. (`div` and `mod` on the whole part are
 * exact; a numeric division is rounded, and its floor could be one too many.)
 *
 * Whole units, not equal truncated shares: a coupon costs 1, and a coupon
 * pool with a budget of 20 spread as 0.625 a shard had no shard that could
 * take one, so every issue from it sweeps (review 58, finding 1). Spread this
 * way, 20 shards hold a coupon each. For a large amount the shares differ by
 * at most 1, as equal ones would. (A reward that costs more than a shard
 * holds is handled by the sweep, which spreads what is left in whole rewards
 * of the cost it was asked for: rewards-ledger/issue-reward-whole-shares.sql.ts.)
 */
export const budgetShare = (amount: string, shards: string, shard: string): string =>
  `(div(floor(${amount}), ${shards})` +
  ` + case when ${shard} < mod(floor(${amount}), ${shards}) then 1 else 0 end` +
  ` + case when ${shard} = 0 then ${amount} - floor(${amount}) else 0 end)`;
