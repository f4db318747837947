/**
 * `kairos_reclaim_reward`: takes back one reward, idempotently. Frozen with
 * its migration: change it through a new migration.
 *
 * It takes the same advisory lock as the issue function, so an issue and a
 * reclaim of one key never interleave. The first reclaim writes a row in
 * reward_reclaims with what it did; every later reclaim returns that row's
 * outcome and changes nothing. A key with no reward yet gets that row too
 * (outcome notIssued), which stops a later issue of the key.
 *
 * Lock order: key, reward row, coupon code, the reward's budget shard. An
 * issue waits for a shard only while holding its key and (pool, user)
 * advisory locks, and holding a shard it waits for nothing (codes are taken
 * with SKIP LOCKED), so the two never wait on each other in a cycle.
 *
 * Outcomes: reversed (points, credit: a counter-entry), voided (unused
 * coupon: reclaimed, its code available again), budget given back to the
 * shard it was charged to; unreclaimable (a redeemed coupon); notIssued.
 */
export const RECLAIM_REWARD_FUNCTION = `
create function kairos_reclaim_reward(p_key text, p_event text, p_reason text,
  out o_outcome text, out o_reward jsonb)
language plpgsql as $fn$
declare
  v_reward rewards%rowtype;
begin
  perform pg_advisory_xact_lock(hashtextextended('kairos.reward:' || p_key, 0));

  select c.outcome into o_outcome from reward_reclaims c where c.idempotency_key = p_key;
  if found then
    select to_jsonb(r) into o_reward from rewards r where r.idempotency_key = p_key;
    return;
  end if;

  select * into v_reward from rewards r where r.idempotency_key = p_key for update;
  if not found then
    o_outcome := 'notIssued';
  elsif v_reward.status in ('redeemed', 'unreclaimable') then
    o_outcome := 'unreclaimable';
    update rewards r set status = 'unreclaimable', updated_at = now() where r.id = v_reward.id
    returning * into v_reward;
  else
    if v_reward.kind = 'coupon' then
      o_outcome := 'voided';
      update coupon_codes c set state = 'available', reward_id = null
       where c.pool_key = v_reward.pool_key and c.code = v_reward.code and c.reward_id = v_reward.id;
    elsif v_reward.kind = 'points' then
      o_outcome := 'reversed';
      insert into points_entries (reward_id, user_id, delta, reason)
      values (v_reward.id, v_reward.user_id, -v_reward.amount, 'reversal');
    else
      o_outcome := 'reversed';
      insert into credit_entries (reward_id, user_id, delta, currency, reason)
      values (v_reward.id, v_reward.user_id, -v_reward.amount, v_reward.currency, 'reversal');
    end if;
    if v_reward.pool_key is not null then
      update pool_budget_shards s
         set used = s.used - case when v_reward.kind = 'coupon' then 1 else v_reward.amount end
       where s.pool_key = v_reward.pool_key and s.shard = v_reward.budget_shard;
    end if;
    update rewards r set status = 'reclaimed', updated_at = now() where r.id = v_reward.id
    returning * into v_reward;
  end if;

  insert into reward_reclaims (idempotency_key, reward_id, event_id, reason, outcome)
  values (p_key, v_reward.id, p_event, p_reason, o_outcome);
  if v_reward.id is not null then o_reward := to_jsonb(v_reward); end if;
end
$fn$`;
