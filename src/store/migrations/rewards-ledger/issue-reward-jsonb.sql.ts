import { BUDGET_SHARDS } from './issue-reward.sql';

/**
 * `kairos_issue_reward(p_request jsonb, p_sweep boolean)`, third version
 * (migration 1764800000000). Frozen with its migration: change it through a
 * new migration.
 *
 * The second version (issue-reward-single-probe.sql.ts) took eleven
 * positional parameters, which a caller could pass in the wrong order
 * without any error (two texts swapped are still two texts). This one takes
 * the request as one JSON object whose fields are named as IssueRequest's
 * (src/store/repositories/rewards.repository.ts): idempotencyKey,
 * campaignKey, campaignVersion, userId, stepId, causedBy (an array of
 * event ids), kind, amount, currency, pool, unlessHolding. `p_sweep` stays
 * a parameter: it is how the call is made, not what is asked for.
 *
 * The body is the second version's, word for word: the fields are unpacked
 * into locals named as its parameters were. Same locks, same order, same
 * outcomes, same errors (KR003 asks for a sweep).
 */
export const ISSUE_REWARD_JSONB_FUNCTION = `
create function kairos_issue_reward(p_request jsonb, p_sweep boolean,
  out o_outcome text, out o_detail text, out o_reward jsonb)
language plpgsql as $fn$
declare
  -- The request's fields under the names the positional version's parameters
  -- had, so that everything from here on is that version's text unchanged.
  p_key text := p_request->>'idempotencyKey';
  p_campaign text := p_request->>'campaignKey';
  p_version int := (p_request->>'campaignVersion')::int;
  p_user text := p_request->>'userId';
  p_step text := p_request->>'stepId';
  -- Not an array (absent, null): none, as the positional version's coalesce(p_caused_by, '{}') gave.
  p_caused_by text[] := array(select jsonb_array_elements_text(
    case when jsonb_typeof(p_request->'causedBy') = 'array' then p_request->'causedBy' else '[]'::jsonb end));
  p_kind text := p_request->>'kind';
  p_amount numeric := (p_request->>'amount')::numeric;
  p_currency text := p_request->>'currency';
  p_pool text := p_request->>'pool';
  p_unless_holding boolean := (p_request->>'unlessHolding')::boolean;
  v_pool reward_pools%rowtype;
  v_reward rewards%rowtype;
  v_reclaimed boolean;
  v_code text;
  v_cost numeric;
  v_held int;
  v_start int := abs(hashtextextended(p_key, 0) % ${BUDGET_SHARDS})::int;
  v_shard int;
  v_left numeric;
  v_share numeric;
begin
  perform pg_advisory_xact_lock(hashtextextended('kairos.reward:' || p_key, 0));

  -- The key's reward, or its reclaim tombstone: one statement, two index probes.
  select (select to_jsonb(r) from rewards r where r.idempotency_key = p_key),
         exists (select 1 from reward_reclaims c where c.idempotency_key = p_key)
    into o_reward, v_reclaimed;
  if o_reward is not null then
    o_outcome := 'issued'; return;
  end if;
  if v_reclaimed then
    o_outcome := 'exhausted'; o_detail := 'reclaimed'; return;
  end if;

  if p_pool is null then
    if p_kind = 'coupon' then
      o_outcome := 'unknownPool'; o_detail := 'a coupon needs a pool'; return;
    end if;
  else
    select * into v_pool from reward_pools p where p.key = p_pool;
    if not found then
      o_outcome := 'unknownPool'; o_detail := format('no pool %s', p_pool); return;
    end if;
    if v_pool.kind <> p_kind then
      o_outcome := 'wrongPoolKind'; o_detail := format('pool %s is a %s pool, not %s', p_pool, v_pool.kind, p_kind); return;
    end if;
    if p_kind = 'credit' and v_pool.currency is not null and v_pool.currency <> p_currency then
      o_outcome := 'wrongCurrency'; o_detail := format('pool %s holds %s, not %s', p_pool, v_pool.currency, p_currency); return;
    end if;

    if p_unless_holding or v_pool.per_user_limit is not null then
      perform pg_advisory_xact_lock(hashtextextended('kairos.pool-user:' || p_pool || ':' || p_user, 0));
      if p_unless_holding then
        select * into v_reward from rewards r
         where r.pool_key = p_pool and r.user_id = p_user and r.status = 'issued'
           and (r.expires_at is null or r.expires_at > now())
         order by r.created_at desc limit 1;
        if found then
          o_outcome := 'alreadyHolding'; o_reward := to_jsonb(v_reward); return;
        end if;
      end if;
      if v_pool.per_user_limit is not null then
        -- A reclaimed reward gives its slot back, as it gives its budget back.
        select count(*) into v_held from rewards r
         where r.pool_key = p_pool and r.user_id = p_user and r.status <> 'reclaimed';
        if v_held >= v_pool.per_user_limit then
          o_outcome := 'exhausted'; o_detail := 'perUserLimit'; return;
        end if;
      end if;
    end if;

    v_cost := case when p_kind = 'coupon' then 1 else p_amount end;
    -- The probe is the charge. It walks the primary key in two halves, from
    -- the key's shard up, then from 0, and stops at the first free shard with room.
    if not p_sweep then
      update pool_budget_shards s set used = s.used + v_cost
       where s.pool_key = p_pool
         and s.shard = (select f.shard from pool_budget_shards f
                         where f.pool_key = p_pool and f.shard >= v_start and (f.budget is null or f.used + v_cost <= f.budget)
                         order by f.shard
                         limit 1
                         for update skip locked)
      returning s.shard into v_shard;
      if v_shard is null and v_start > 0 then
        update pool_budget_shards s set used = s.used + v_cost
         where s.pool_key = p_pool
           and s.shard = (select f.shard from pool_budget_shards f
                           where f.pool_key = p_pool and f.shard < v_start and (f.budget is null or f.used + v_cost <= f.budget)
                           order by f.shard
                           limit 1
                           for update skip locked)
        returning s.shard into v_shard;
      end if;
      if v_shard is null and v_pool.budget is not null then
        -- The probe may hold shards it locked and skipped. Nothing is written
        -- yet: abort, releasing them, and the caller comes again to sweep.
        raise exception using errcode = 'KR003', message = 'kairos_issue_reward: no free shard has room; call again with p_sweep';
      end if;
    end if;
    if v_shard is null then
      if v_pool.budget is not null then
        perform 1 from pool_budget_shards s where s.pool_key = p_pool order by s.shard for update;
        select sum(s.budget - s.used) into v_left from pool_budget_shards s where s.pool_key = p_pool;
        if v_left < v_cost then
          o_outcome := 'exhausted'; o_detail := 'budget'; return;
        end if;
      end if;
      -- Limited: spread what is left again, truncated shares keeping the total
      -- exact; the key's shard takes the rest, at least the cost, and is charged.
      -- Unlimited, every shard busy: wait for the key's own.
      v_share := trunc((v_left - v_cost) / ${BUDGET_SHARDS}, 6);
      update pool_budget_shards s
         set budget = case when v_pool.budget is null then null
                           else s.used + case when s.shard = v_start then v_left - ${BUDGET_SHARDS - 1} * v_share else v_share end end,
             used = s.used + case when s.shard = v_start then v_cost else 0 end
       where s.pool_key = p_pool and (v_pool.budget is not null or s.shard = v_start);
      v_shard := v_start;
    end if;

    if p_kind = 'coupon' then
      select c.code into v_code from coupon_codes c
       where c.pool_key = p_pool and c.state = 'available'
       order by c.seq limit 1
       for update skip locked;
      if not found then
        update pool_budget_shards s set used = s.used - v_cost where s.pool_key = p_pool and s.shard = v_shard;
        o_outcome := 'exhausted'; o_detail := 'noCodes'; return;
      end if;
    end if;
  end if;

  -- The reward and its code or ledger entry, in one statement.
  with r as (
    insert into rewards (idempotency_key, campaign_key, campaign_version, user_id, step_id, kind,
                         amount, currency, code, pool_key, budget_shard, caused_by, expires_at)
    values (p_key, p_campaign, p_version, p_user, p_step, p_kind,
            case when p_kind = 'coupon' then null else p_amount end,
            case when p_kind = 'credit' then p_currency end,
            v_code, p_pool, v_shard, coalesce(p_caused_by, '{}'),
            case when v_pool.valid_for is not null then now() + v_pool.valid_for end)
    returning *),
  code as (
    update coupon_codes c set state = 'issued', reward_id = r.id from r
     where p_kind = 'coupon' and c.pool_key = p_pool and c.code = v_code),
  points as (
    insert into points_entries (reward_id, user_id, delta, reason)
    select r.id, p_user, p_amount, 'issue' from r where p_kind = 'points'),
  credit as (
    insert into credit_entries (reward_id, user_id, delta, currency, reason)
    select r.id, p_user, p_amount, p_currency, 'issue' from r where p_kind = 'credit')
  select to_jsonb(r) into o_reward from r;

  o_outcome := 'issued';
end
$fn$`;
