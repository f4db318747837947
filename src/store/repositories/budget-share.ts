/**
 * SQL: shard `shard`'s share when `amount` is spread over `shards` shards:
 * truncated shares, shard 0 the rest. Computed in numeric, so the shares sum
 * to the amount exactly, which doubles could not promise. Creation spreads a
 * budget this way, a top-up what it adds.
 */
export const budgetShare = (amount: string, shards: string, shard: string): string =>
  `case when ${shard} = 0 then ${amount} - (${shards} - 1) * trunc(${amount} / ${shards}, 6) else trunc(${amount} / ${shards}, 6) end`;
