import { BUDGET_SHARDS } from './issue-reward.sql';

/**
 * `kairos_issue_reward(p_request jsonb, p_sweep boolean)`, fourth version
 * (migration 1765000000300). Frozen with its migration: change it through a
 * new migration.
 *
 * Same signature, request fields, locks (same key spellings, taken in the
 * same order), outcomes and errors as the third version
 * (issue-reward-jsonb.sql.ts); it runs fewer statements. Every SQL statement
 * of a PL/pgSQL function pays an executor start and finish, and a profile of
 * bench:ledger showed those, more than the rows written, to be what an issue
 * costs beyond a plain insert. For points in a budgeted pool the third version
 * ran six statements (the causedBy array, the key lock, the key's probe, the
 * pool, the shard charge, the writes); this one runs two:
 *
 * - `causedBy` was unpacked into an array by a query of its own; it is now
 *   computed where it is used, in the reward's insert.
 * - The key's advisory lock is taken in an assignment, an expression PL/pgSQL
 *   evaluates itself rather than a statement through the executor. The key's
 *   probe stays a statement of its own after it, so it sees a reward
 *   committed by whoever held the lock before, and reads the pool's row too
 *   (configuration, the same read before or after the lock).
 * - The reward and its ledger entry were one statement with four writing
 *   parts (reward, coupon code, points entry, credit entry), every one of
 *   them set up on every call whatever the kind; now each kind runs a
 *   statement with only its own two.
 * - For points and credit without a sweep, the budget charge (the probe's
 *   first half) is in that same statement: charge, reward and entry are
 *   written together, or, when the first half finds no shard with room, none
 *   of them, and the function goes on as before (second half, KR003, sweep).
 */

/** The request's causedBy as text[]; not an array (absent, null): none. */
const CAUSED_BY = `array(select jsonb_array_elements_text(
          case when jsonb_typeof(p_request->'causedBy') = 'array' then p_request->'causedBy' else '[]'::jsonb end))`;

/** The reward's columns, in the order every insert below lists its values. */
const REWARD_COLUMNS = `idempotency_key, campaign_key, campaign_version, user_id, step_id, kind,
                             amount, currency, code, pool_key, budget_shard, caused_by, expires_at`;

/** The values of one reward row; `shard` is where its budget was charged (null: no pool). */
const rewardValues = (shard: string) => `p_key, p_campaign, p_version, p_user, p_step, p_kind,
               case when p_kind = 'coupon' then null else p_amount end,
               case when p_kind = 'credit' then p_currency end,
               v_code, p_pool, ${shard}, ${CAUSED_BY},
               case when v_pool_valid_for is not null then now() + v_pool_valid_for end`;

/** The ledger entry (points, credit) or the code's update (coupon) for the reward in CTE `r`. */
const ENTRY = {
  points: `insert into points_entries (reward_id, user_id, delta, reason)
        select r.id, p_user, p_amount, 'issue' from r`,
  credit: `insert into credit_entries (reward_id, user_id, delta, currency, reason)
        select r.id, p_user, p_amount, p_currency, 'issue' from r`,
  coupon: `update coupon_codes c set state = 'issued', reward_id = r.id from r
         where c.pool_key = p_pool and c.code = v_code`,
} as const;

/** Writes the reward (budget already charged on v_shard, or no pool) and its entry; o_reward is the row. */
const write = (kind: keyof typeof ENTRY) => `
      with r as (
        insert into rewards (${REWARD_COLUMNS})
        values (${rewardValues('v_shard')})
        returning *),
      entry as (
        ${ENTRY[kind]})
      select to_jsonb(r) into o_reward from r;`;

/** Charges the probe's first half and writes reward and entry in one statement; o_reward stays null when no shard has room. */
const chargeAndWrite = (kind: 'points' | 'credit') => `
        with s as (
          update pool_budget_shards s set used = s.used + v_cost
           where s.pool_key = p_pool
             and s.shard = (select f.shard from pool_budget_shards f
                             where f.pool_key = p_pool and f.shard >= v_start and (f.budget is null or f.used + v_cost <= f.budget)
                             order by f.shard
                             limit 1
                             for update skip locked)
          returning s.shard),
        r as (
          insert into rewards (${REWARD_COLUMNS})
          select ${rewardValues('s.shard')}
            from s
          returning *),
        entry as (
          ${ENTRY[kind]})
        select to_jsonb(r) into o_reward from r;`;

export const ISSUE_REWARD_LEAN_FUNCTION = `
create or replace function kairos_issue_reward(p_request jsonb, p_sweep boolean,
  out o_outcome text, out o_detail text, out o_reward jsonb)
language plpgsql as $fn$
declare
  p_key text := p_request->>'idempotencyKey';
  p_campaign text := p_request->>'campaignKey';
  p_version int := (p_request->>'campaignVersion')::int;
  p_user text := p_request->>'userId';
  p_step text := p_request->>'stepId';
  p_kind text := p_request->>'kind';
  p_amount numeric := (p_request->>'amount')::numeric;
  p_currency text := p_request->>'currency';
  p_pool text := p_request->>'pool';
  p_unless_holding boolean := (p_request->>'unlessHolding')::boolean;
  -- The pool's row (null key: no pool, or no such pool), read with the key's probe.
  v_pool_key text;
  v_pool_kind text;
  v_pool_budget numeric;
  v_pool_limit int;
  v_pool_valid_for interval;
  v_pool_currency text;
  v_locked text;
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
  -- The key's lock, in an assignment: an expression PL/pgSQL evaluates
  -- itself, not a statement through the executor (the lock function returns void).
  v_locked := pg_advisory_xact_lock(hashtextextended('kairos.reward:' || p_key, 0))::text;

  -- After the lock: the key's reward, or its reclaim tombstone, and the pool.
  select (select to_jsonb(r) from rewards r where r.idempotency_key = p_key),
         exists (select 1 from reward_reclaims c where c.idempotency_key = p_key),
         p.key, p.kind, p.budget, p.per_user_limit, p.valid_for, p.currency
    into o_reward, v_reclaimed, v_pool_key, v_pool_kind, v_pool_budget, v_pool_limit, v_pool_valid_for, v_pool_currency
    from (select) one
    left join reward_pools p on p.key = p_pool;
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
    if v_pool_key is null then
      o_outcome := 'unknownPool'; o_detail := format('no pool %s', p_pool); return;
    end if;
    if v_pool_kind <> p_kind then
      o_outcome := 'wrongPoolKind'; o_detail := format('pool %s is a %s pool, not %s', p_pool, v_pool_kind, p_kind); return;
    end if;
    if p_kind = 'credit' and v_pool_currency is not null and v_pool_currency <> p_currency then
      o_outcome := 'wrongCurrency'; o_detail := format('pool %s holds %s, not %s', p_pool, v_pool_currency, p_currency); return;
    end if;

    if p_unless_holding or v_pool_limit is not null then
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
      if v_pool_limit is not null then
        -- A reclaimed reward gives its slot back, as it gives its budget back.
        select count(*) into v_held from rewards r
         where r.pool_key = p_pool and r.user_id = p_user and r.status <> 'reclaimed';
        if v_held >= v_pool_limit then
          o_outcome := 'exhausted'; o_detail := 'perUserLimit'; return;
        end if;
      end if;
    end if;

    v_cost := case when p_kind = 'coupon' then 1 else p_amount end;
    -- The probe is the charge. It walks the primary key in two halves, from
    -- the key's shard up, then from 0, and stops at the first free shard with room.
    if not p_sweep then
      if p_kind = 'points' then${chargeAndWrite('points')}
        if o_reward is not null then
          o_outcome := 'issued'; return;
        end if;
      elsif p_kind = 'credit' then${chargeAndWrite('credit')}
        if o_reward is not null then
          o_outcome := 'issued'; return;
        end if;
      else
        update pool_budget_shards s set used = s.used + v_cost
         where s.pool_key = p_pool
           and s.shard = (select f.shard from pool_budget_shards f
                           where f.pool_key = p_pool and f.shard >= v_start and (f.budget is null or f.used + v_cost <= f.budget)
                           order by f.shard
                           limit 1
                           for update skip locked)
        returning s.shard into v_shard;
      end if;
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
      if v_shard is null and v_pool_budget is not null then
        -- The probe may hold shards it locked and skipped. Nothing is written
        -- yet: abort, releasing them, and the caller comes again to sweep.
        raise exception using errcode = 'KR003', message = 'kairos_issue_reward: no free shard has room; call again with p_sweep';
      end if;
    end if;
    if v_shard is null then
      if v_pool_budget is not null then
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
         set budget = case when v_pool_budget is null then null
                           else s.used + case when s.shard = v_start then v_left - ${BUDGET_SHARDS - 1} * v_share else v_share end end,
             used = s.used + case when s.shard = v_start then v_cost else 0 end
       where s.pool_key = p_pool and (v_pool_budget is not null or s.shard = v_start);
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

  -- The reward and its ledger entry or code: one statement, with only this kind's parts.
  if p_kind = 'points' then${write('points')}
  elsif p_kind = 'credit' then${write('credit')}
  else${write('coupon')}
  end if;

  o_outcome := 'issued';
end
$fn$`;
