/**
 * `kairos_issue_rewards(p_requests jsonb)`: several issue requests (a JSON
 * array of what `kairos_issue_reward` takes) in one call and one
 * transaction (migration 1765000000400). Frozen with its migration.
 *
 * Each request is issued by `kairos_issue_reward(request, false)` itself, so
 * it has exactly the same locks, outcomes and errors; the batch only shares
 * the round trip, the statement and the commit. Any error (the probe's
 * KR003, a value a column refuses, an abort) rolls back the whole batch,
 * and the caller issues each request alone.
 *
 * Lock order: a batch holds every lock it takes until it commits, so two
 * batches must not take the same locks in opposite orders.
 * - Key locks are taken in the order of their lock ids (the same
 *   `hashtextextended` the single function locks), the same order in every
 *   batch.
 * - A request that would take a second advisory lock, its pool-and-user lock
 *   (`unlessHolding`, or a pool with a per-user limit), is not issued here:
 *   it comes back as `issueAlone`, before anything is locked for it.
 * - The budget probe and the coupon claim skip locked rows and never wait;
 *   the sweep, which waits, is never run in a batch (p_sweep is false).
 *   (Until migration 1765900000000 the probe of an unlimited pool whose
 *   shards were all locked did wait, for the key's own shard: see
 *   issue-reward-no-wait.sql.ts.)
 * This covered batches against batches only. A reclaim or a lone sweep
 * holds a key and then waits for a shard, so a batch waiting here for that
 * key while holding the shard was a deadlock. Since migration 1766900000000
 * a batch tries each key's lock and never waits for one: see
 * issue-rewards-batch-try-lock.sql.ts.
 *
 * Answers one row per request, `o_index` its place in the array.
 */
export const ISSUE_REWARDS_BATCH_FUNCTION = `
create or replace function kairos_issue_rewards(p_requests jsonb)
returns table (o_index int, o_outcome text, o_detail text, o_reward jsonb)
language plpgsql as $fn$
declare
  v_item record;
  v_result record;
begin
  for v_item in
    select (e.ordinality - 1)::int as index, e.value as request,
           coalesce((e.value->>'unlessHolding')::boolean, false) or p.per_user_limit is not null as alone
      from jsonb_array_elements(p_requests) with ordinality e
      left join reward_pools p on p.key = e.value->>'pool'
     order by hashtextextended('kairos.reward:' || (e.value->>'idempotencyKey'), 0), e.ordinality
  loop
    o_index := v_item.index;
    if v_item.alone then
      o_outcome := 'issueAlone'; o_detail := null; o_reward := null;
    else
      select * into v_result from kairos_issue_reward(v_item.request, false);
      o_outcome := v_result.o_outcome; o_detail := v_result.o_detail; o_reward := v_result.o_reward;
    end if;
    return next;
  end loop;
end
$fn$`;
