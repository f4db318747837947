import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Event sources beyond HTTP (RabbitMQ queues, NATS JetStream streams), as
 * configuration: `sources` holds each definition with a version bumped on
 * every change, and a trigger `pg_notify`s `kairos_sources` with the key in
 * the transaction of the change, so every API instance restarts that
 * source's consumer without a restart of its own (as for campaigns).
 */
export class EventSources1764500000000 implements MigrationInterface {
  name = 'EventSources1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table sources (
        key text primary key,
        broker text not null check (broker in ('rabbitmq', 'nats')),
        definition jsonb not null,
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    await q.query(`
      create function kairos_sources_notify() returns trigger language plpgsql as $$
      begin
        perform pg_notify('kairos_sources', case when tg_op = 'DELETE' then old.key else new.key end);
        return null;
      end $$`);
    await q.query(`
      create trigger sources_notify after insert or update or delete on sources
        for each row execute function kairos_sources_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop trigger sources_notify on sources`);
    await q.query(`drop function kairos_sources_notify()`);
    await q.query(`drop table sources`);
  }
}
