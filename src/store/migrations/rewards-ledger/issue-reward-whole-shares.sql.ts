import { BUDGET_SHARDS } from './issue-reward.sql';
import { ISSUE_REWARD_WAIT_FOR_CODE_FUNCTION } from './issue-reward-wait-for-code.sql';
import { ISSUE_REWARDS_BATCH_TRY_LOCK_FUNCTION } from './issue-rewards-batch-try-lock.sql';

/**
 * `kairos_issue_reward(p_request jsonb, p_sweep boolean)`, eighth version,
 * and `kairos_issue_rewards(p_requests jsonb)`, fourth version (migration
 * 1767610000000). Frozen with their migration: change them through a new one.
 *
 * Review 58, finding 1. A shard whose room is less than one reward's cost is
 * no use to the probe, and the sweep spread what was left in equal shares
 * truncated to 6 decimals. Once what was left fell below about 33 rewards of
 * the cost asked for, no shard had room for one after a sweep: every issue
 * from the pool took the probe, KR003 and a sweep locking all 32 shards. A
 * small or coarse pool (20 coupons; 1000 points given 50 at a time) was in
 * that mode for its whole life, and in a batch each of those KR003s rolled
 * back every other request of the batch too (`batchSplit`).
 *
 * The issue function (seventh version, issue-reward-wait-for-code.sql.ts)
 * with one change, in the sweep: what is left after this reward's cost is
 * spread again in whole rewards of that cost. Each shard gets the same number
 * of them and the first `whole mod 32` shards, counted from the key's, one
 * more; the key's shard also takes the fraction under one cost, and this
 * reward's charge. So while what is left pays for one more reward of this
 * cost, the key's shard has room for it and the next issue's probe finds
 * room without a sweep. The shares are exact multiples in numeric (`div` is
 * exact; the guard below only ever lowers the count) and sum to what is left
 * exactly, as before; `used` is never lowered.
 *
 * (Creation and top-ups spread a budget in whole units too: budgetShare in
 * src/store/repositories/budget-share.ts; a coupon costs 1.)
 *
 * The batch function (third version, issue-rewards-batch-try-lock.sql.ts)
 * with one change: each request's call runs in its own subtransaction, and a
 * KR003 (its probe found no free shard with room: the pool nearly or wholly
 * spent, or its shards with room held by others) rolls back that request
 * alone, releasing what its probe locked (the rows and the re-entrant take
 * of its key's lock; the batch's own take of the key's lock stays until it
 * commits) and answers `issueAlone`: the caller issues it alone after the
 * batch committed, where it sweeps. The batch's other requests are kept.
 * At most MAX_ISSUES_PER_BATCH (8) subtransactions a batch, well under the
 * 64 a backend caches before subtransaction lookups go to pg_subtrans.
 */

const SWEEP_SPREAD = `      -- Limited: spread what is left again, truncated shares keeping the total
      -- exact; the key's shard takes the rest, at least the cost, and is charged.
      -- Unlimited, every shard busy: wait for the key's own.
      v_share := trunc((v_left - v_cost) / ${BUDGET_SHARDS}, 6);
      update pool_budget_shards s
         set budget = case when v_pool_budget is null then null
                           else s.used + case when s.shard = v_start then v_left - ${BUDGET_SHARDS - 1} * v_share else v_share end end,
`;

const WHOLE_SHARES_SPREAD = `      -- Limited: what is left after this reward, spread again in whole rewards of
      -- this cost (v_whole of them): v_share each, one more cost to the first v_rest
      -- shards counted from the key's; the key's shard also takes the fraction under
      -- one cost, and is charged. Exact in numeric: the shares sum to what is left.
      -- Unlimited, every shard busy: wait for the key's own.
      if v_pool_budget is not null then
        -- (A cost of 0 or less is refused before the ledger: if one came, it all stays on the key's shard.)
        v_whole := case when v_cost > 0 then div(v_left - v_cost, v_cost) else 0 end;
        if v_whole * v_cost > v_left - v_cost then
          v_whole := v_whole - 1;
        end if;
        v_share := div(v_whole, ${BUDGET_SHARDS}) * v_cost;
        v_rest := mod(v_whole, ${BUDGET_SHARDS});
      end if;
      update pool_budget_shards s
         set budget = case when v_pool_budget is null then null
                           else s.used + v_share
                                + case when (s.shard - v_start + ${BUDGET_SHARDS}) % ${BUDGET_SHARDS} < v_rest then v_cost else 0 end
                                + case when s.shard = v_start then v_cost + (v_left - v_cost - v_whole * v_cost) else 0 end end,
`;

export const ISSUE_REWARD_WHOLE_SHARES_FUNCTION = replaceOnce(
  replaceOnce(ISSUE_REWARD_WAIT_FOR_CODE_FUNCTION, '  v_share numeric;\n', '  v_share numeric;\n  v_whole numeric;\n  v_rest numeric;\n'),
  SWEEP_SPREAD,
  WHOLE_SHARES_SPREAD,
);

const BATCH_CALL = `      select * into v_result from kairos_issue_reward(v_item.request || '{"batched": true}'::jsonb, false);
      o_outcome := v_result.o_outcome; o_detail := v_result.o_detail; o_reward := v_result.o_reward;
`;

const BATCH_CALL_OWN_SUBTRANSACTION = `      -- Its own subtransaction: a probe that found no room rolls back this request alone.
      begin
        select * into v_result from kairos_issue_reward(v_item.request || '{"batched": true}'::jsonb, false);
        o_outcome := v_result.o_outcome; o_detail := v_result.o_detail; o_reward := v_result.o_reward;
      exception when sqlstate 'KR003' then
        o_outcome := 'issueAlone'; o_detail := null; o_reward := null;
      end;
`;

export const ISSUE_REWARDS_BATCH_KEEPS_OTHERS_FUNCTION = replaceOnce(ISSUE_REWARDS_BATCH_TRY_LOCK_FUNCTION, BATCH_CALL, BATCH_CALL_OWN_SUBTRANSACTION);

function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`expected exactly one ${JSON.stringify(from)} in the function body`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}
