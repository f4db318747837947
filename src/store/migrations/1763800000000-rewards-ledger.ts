import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ISSUE_REWARD_FUNCTION } from './rewards-ledger/issue-reward.sql';
import { RECLAIM_REWARD_FUNCTION } from './rewards-ledger/reclaim-reward.sql';

/**
 * Reward pools, the rewards ledger, and the message/webhook outbox.
 *
 * Balances are never stored: they are sums over append-only entry tables, and
 * a reversal is a new entry. Issuing and reclaiming are PL/pgSQL functions so
 * each is one round trip and one transaction (DESIGN.md, decision 5).
 */
export class RewardsLedger1763800000000 implements MigrationInterface {
  name = 'RewardsLedger1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table reward_pools (
        key text primary key,
        kind text not null check (kind in ('coupon', 'points', 'credit')),
        name text,
        -- null budget: unlimited. What is used is kept in pool_budget_shards.
        budget numeric check (budget >= 0),
        per_user_limit int check (per_user_limit >= 1),
        valid_for interval,
        currency text,
        codes_total int not null default 0,
        definition jsonb not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);

    // A pool's budget, split into BUDGET_SHARDS rows. One counter row would make
    // every issue of a pool wait for the previous one's commit; with shards,
    // concurrent issues lock different rows. Shard budgets always sum to the
    // pool's budget; "used" counts amounts (points, credit) or coupons issued
    // and not reclaimed. See the issue function for how budget moves between shards.
    await q.query(`
      create table pool_budget_shards (
        pool_key text not null references reward_pools (key),
        shard smallint not null,
        budget numeric,
        used numeric not null default 0 check (used >= 0),
        primary key (pool_key, shard),
        check (budget is null or used <= budget)
      )`);

    await q.query(`
      create table rewards (
        id uuid primary key default gen_random_uuid(),
        idempotency_key text not null unique,
        campaign_key text not null,
        campaign_version int not null,
        user_id text not null,
        step_id text not null,
        kind text not null check (kind in ('coupon', 'points', 'credit')),
        amount numeric,
        currency text,
        code text,
        pool_key text references reward_pools (key),
        -- The budget shard it was charged to; a reclaim gives the budget back there.
        budget_shard smallint,
        status text not null default 'issued' check (status in ('issued', 'redeemed', 'reclaimed', 'unreclaimable')),
        caused_by text[] not null default '{}',
        expires_at timestamptz,
        redeemed_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check (kind <> 'coupon' or (code is not null and pool_key is not null)),
        check (kind = 'coupon' or amount is not null),
        check (kind <> 'credit' or currency is not null)
      )`);
    await q.query(`create index rewards_user_idx on rewards (user_id, created_at)`);
    await q.query(`create index rewards_pool_user_idx on rewards (pool_key, user_id) where pool_key is not null`);
    await q.query(`create index rewards_caused_by_idx on rewards using gin (caused_by)`);

    await q.query(`
      create table coupon_codes (
        pool_key text not null references reward_pools (key),
        code text not null,
        -- Hand-out order: imported codes in their given order; a returned code keeps its place.
        seq bigint not null,
        -- void: withdrawn from circulation (reserved for operators; nothing in the engine voids a code).
        state text not null default 'available' check (state in ('available', 'issued', 'void')),
        reward_id uuid references rewards (id),
        primary key (pool_key, code),
        check ((state = 'issued') = (reward_id is not null))
      )`);
    await q.query(`create index coupon_codes_available_idx on coupon_codes (pool_key, seq) where state = 'available'`);

    for (const table of ['points_entries', 'credit_entries']) {
      await q.query(`
        create table ${table} (
          id bigserial primary key,
          reward_id uuid not null references rewards (id),
          user_id text not null,
          delta numeric not null,
          ${table === 'credit_entries' ? 'currency text not null,' : ''}
          reason text not null check (reason in ('issue', 'reversal')),
          created_at timestamptz not null default now(),
          -- At most one issue and one reversal per reward: a double reversal cannot be written.
          unique (reward_id, reason)
        )`);
      await q.query(`create index ${table}_user_idx on ${table} (user_id)`);
    }
    await q.query(`
      create function kairos_append_only() returns trigger language plpgsql as $$
      begin
        raise exception '% is append-only: write a reversal entry instead', tg_table_name;
      end $$`);
    for (const table of ['points_entries', 'credit_entries']) {
      await q.query(`create trigger ${table}_append_only before update or delete on ${table} for each row execute function kairos_append_only()`);
    }

    // One row per reclaimed idempotency key, written by the first reclaim; also a
    // tombstone for keys reclaimed before they were issued (see the issue function).
    await q.query(`
      create table reward_reclaims (
        idempotency_key text primary key,
        reward_id uuid references rewards (id),
        event_id text not null,
        reason text,
        outcome text not null check (outcome in ('reversed', 'voided', 'unreclaimable', 'notIssued')),
        created_at timestamptz not null default now()
      )`);
    await q.query(`create index reward_reclaims_event_idx on reward_reclaims (event_id)`);

    await q.query(ISSUE_REWARD_FUNCTION);
    await q.query(RECLAIM_REWARD_FUNCTION);

    // Outbox rows: payload is the exact body sent, so every retry sends (and signs) the same bytes.
    await q.query(`
      create table messages (
        id bigserial primary key,
        idempotency_key text not null unique,
        campaign_key text not null,
        user_id text not null,
        channel text not null,
        template text not null,
        data jsonb not null default '{}'::jsonb,
        caused_by text[] not null default '{}',
        payload text not null,
        status text not null default 'pending' check (status in ('pending', 'stored', 'sent', 'retrying', 'rejected')),
        attempts int not null default 0,
        last_status int,
        last_error text,
        sent_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    await q.query(`create index messages_user_idx on messages (user_id, created_at)`);
    await q.query(`
      create table webhook_calls (
        id bigserial primary key,
        idempotency_key text not null unique,
        campaign_key text,
        user_id text,
        url text not null,
        caused_by text[] not null default '{}',
        payload text not null,
        status text not null default 'pending' check (status in ('pending', 'sent', 'retrying', 'rejected')),
        attempts int not null default 0,
        last_status int,
        last_error text,
        sent_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table webhook_calls`);
    await q.query(`drop table messages`);
    await q.query(`drop function kairos_reclaim_reward(text, text, text)`);
    await q.query(`drop function kairos_issue_reward(text, text, int, text, text, text[], text, numeric, text, text, boolean)`);
    await q.query(`drop table reward_reclaims`);
    await q.query(`drop table credit_entries`);
    await q.query(`drop table points_entries`);
    await q.query(`drop function kairos_append_only()`);
    await q.query(`drop table coupon_codes`);
    await q.query(`drop table rewards`);
    await q.query(`drop table pool_budget_shards`);
    await q.query(`drop table reward_pools`);
  }
}
