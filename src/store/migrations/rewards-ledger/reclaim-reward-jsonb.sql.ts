/**
 * `kairos_reclaim_reward(p_request jsonb)`, third version (migration
 * 1764800000000): the request as one JSON object, `{ idempotencyKey,
 * eventId, reason }`, like the issue function's. The body is the second
 * version's (reclaim-reward-voiding.sql.ts) word for word.
 *
 * Frozen with its migration: change it through a new migration.
 */
export const RECLAIM_REWARD_JSONB_FUNCTION = `
create function kairos_reclaim_reward(p_request jsonb,
  out o_outcome text, out o_reward jsonb)
language plpgsql as $fn$
declare
  -- Under the names the positional version's parameters had: the body below is that version's text.
  p_key text := p_request->>'idempotencyKey';
  p_event text := p_request->>'eventId';
  p_reason text := p_request->>'reason';
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
      -- Void, not available again: the user may still hold and show the code.
      update coupon_codes c set state = 'void', reward_id = null
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
