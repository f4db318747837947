/**
 * `kairos_issue_rewards(p_requests jsonb)`, third version (migration
 * 1766900000000). Frozen with its migration: change it through a new one.
 *
 * The second version (issue-reward-answers.sql.ts) waited for each key's
 * lock in lock-id order, so two batches could not deadlock. But a batch
 * holds the budget shards it charged until it commits, and others hold a
 * key and then wait for a shard: a reclaim (it gives the budget back to the
 * shard the reward was charged on) and a lone sweep (it locks every shard).
 * A batch that had charged shard S and then waited for key K, while K's
 * reclaim waited for S, was a deadlock PostgreSQL broke after a second, and
 * the deadlock alert's ticket (review 52, finding 1).
 *
 * Now a batch never waits for a lock, so it is in no wait cycle: whatever it
 * holds is given back when it commits, and nothing stops it from getting
 * there.
 * - A key's lock is tried (the same `hashtextextended` the single function
 *   locks); once got, the single function takes it again, re-entrant, at
 *   once. A key whose lock is held elsewhere comes back as `issueAlone`,
 *   nothing done for it, and the caller issues it alone once the batch has
 *   committed, holding nothing but that key's lock while it waits. It gets
 *   the key's first answer there, as every attempt of a key does.
 * - A request that would take a second advisory lock, its pool-and-user lock
 *   (`unlessHolding`, or a pool with a per-user limit), is not issued here:
 *   it comes back as `issueAlone`, before anything is locked for it.
 * - The budget probe and the coupon claim skip locked rows and never wait
 *   (KR003 rolls the batch back instead); the sweep, which waits, is never
 *   run in a batch (p_sweep is false).
 * - The rows a request writes are new rows under its key (the reward, its
 *   entry, reward_answers) or rows its probe and claim locked first; the
 *   share lock the reward's foreign key takes on its pool's row does not
 *   conflict with a top-up's `for no key update`. Writing waits for no one.
 * Requests go in the order they were sent: no order of locks is needed.
 *
 * Requests go marked `batched`, as in the second version (its noCodes is
 * asked again alone). Answers one row per request, `o_index` its place in
 * the array.
 */
export const ISSUE_REWARDS_BATCH_TRY_LOCK_FUNCTION = `
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
     order by e.ordinality
  loop
    o_index := v_item.index;
    -- Two branches, not one condition with or: SQL does not promise to skip the try when alone holds.
    if v_item.alone then
      o_outcome := 'issueAlone'; o_detail := null; o_reward := null;
    elsif not pg_try_advisory_xact_lock(hashtextextended('kairos.reward:' || (v_item.request->>'idempotencyKey'), 0)) then
      o_outcome := 'issueAlone'; o_detail := null; o_reward := null;
    else
      select * into v_result from kairos_issue_reward(v_item.request || '{"batched": true}'::jsonb, false);
      o_outcome := v_result.o_outcome; o_detail := v_result.o_detail; o_reward := v_result.o_reward;
    end if;
    return next;
  end loop;
end
$fn$`;
