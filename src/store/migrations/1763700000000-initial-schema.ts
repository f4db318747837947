import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763700000000 implements MigrationInterface {
  name = 'InitialSchema1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table events (
        id text primary key,
        type text not null,
        user_id text not null,
        occurred_at timestamptz not null,
        received_at timestamptz not null default now(),
        properties jsonb not null default '{}'::jsonb
      )`);
    await q.query(`create index events_user_idx on events (user_id, received_at)`);
    await q.query(`
      create table journey_transitions (
        id bigserial primary key,
        idempotency_key text not null unique,
        campaign_key text not null,
        campaign_version int not null,
        user_id text not null,
        workflow_id text not null,
        from_state text,
        to_state text not null,
        at timestamptz not null,
        cause text not null
      )`);
    await q.query(`create index journey_transitions_campaign_idx on journey_transitions (campaign_key, to_state)`);
    await q.query(`
      create table campaigns (
        key text primary key,
        name text not null,
        status text not null default 'draft' check (status in ('draft', 'active', 'paused', 'archived')),
        active_version int,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    await q.query(`
      create table campaign_versions (
        campaign_key text not null references campaigns (key),
        version int not null,
        definition jsonb not null,
        created_at timestamptz not null default now(),
        primary key (campaign_key, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table campaign_versions`);
    await q.query(`drop table campaigns`);
    await q.query(`drop table journey_transitions`);
    await q.query(`drop table events`);
  }
}
