import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ingestion that loses nothing, campaign changes every API instance hears of,
 * and user profiles:
 *
 * - `signal_outbox`: one row per (event, campaign) delivery, written in the
 *   same statement as the event, so an accepted event is never lost while
 *   Temporal is down; the relay resends what was not acknowledged.
 * - a trigger on `campaigns` that `pg_notify`s `kairos_campaigns` with the key
 *   in the transaction of the change, so no code path can change a campaign
 *   and forget to tell the routing indexes.
 * - `campaign_versions.activated_at`: versions that ever took entries may
 *   have running journeys, whose listened events must still be routed.
 * - `user_profiles`: the attributes conditions read as `user.*`.
 */
export class SignalOutbox1763761000000 implements MigrationInterface {
  name = 'SignalOutbox1763761000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table signal_outbox (
        id bigserial primary key,
        event_id text not null references events (id),
        kind text not null check (kind in ('start', 'signal')),
        campaign_key text not null,
        campaign_version int not null,
        user_id text not null,
        workflow_id text not null,
        payload jsonb not null,
        created_at timestamptz not null default now(),
        attempts int not null default 0,
        next_attempt_at timestamptz not null default now(),
        delivered_at timestamptz,
        outcome text check (outcome in ('delivered', 'not-running')),
        last_error text,
        unique (event_id, campaign_key)
      )`);
    // The relay only ever looks at what is still to be sent.
    await q.query(`create index signal_outbox_due_idx on signal_outbox (next_attempt_at, id) where delivered_at is null`);

    await q.query(`alter table campaign_versions add column activated_at timestamptz`);
    await q.query(`update campaign_versions v set activated_at = now() from campaigns c where c.key = v.campaign_key and c.active_version = v.version`);
    await q.query(`
      create function kairos_campaigns_notify() returns trigger language plpgsql as $$
      begin
        perform pg_notify('kairos_campaigns', case when tg_op = 'DELETE' then old.key else new.key end);
        return null;
      end $$`);
    await q.query(`
      create trigger campaigns_notify after insert or update or delete on campaigns
        for each row execute function kairos_campaigns_notify()`);

    await q.query(`
      create table user_profiles (
        user_id text primary key,
        attributes jsonb not null default '{}'::jsonb,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table user_profiles`);
    await q.query(`drop trigger campaigns_notify on campaigns`);
    await q.query(`drop function kairos_campaigns_notify()`);
    await q.query(`alter table campaign_versions drop column activated_at`);
    await q.query(`drop table signal_outbox`);
  }
}
