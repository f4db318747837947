import type { DataSource } from 'typeorm';

export interface TransitionRecord {
  idempotencyKey: string;
  campaignKey: string;
  campaignVersion: number;
  userId: string;
  workflowId: string;
  fromState: string | null;
  toState: string;
  at: string;
  cause: string;
}

export class TransitionsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Appends one transition; a retry with the same key is a no-op. Returns whether a row was written. */
  async record(t: TransitionRecord): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `insert into journey_transitions
         (idempotency_key, campaign_key, campaign_version, user_id, workflow_id, from_state, to_state, at, cause)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       on conflict (idempotency_key) do nothing
       returning id`,
      [t.idempotencyKey, t.campaignKey, t.campaignVersion, t.userId, t.workflowId, t.fromState, t.toState, t.at, t.cause],
    );
    return rows.length > 0;
  }

  /** Appends transitions in the given order, in one statement; a key already stored is overwritten. Returns how many rows were written. */
  async recordMany(records: readonly TransitionRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const column = <K extends keyof TransitionRecord>(k: K) => records.map((r) => r[k]);
    const rows: unknown[] = await this.ds.query(
      `insert into journey_transitions
         (idempotency_key, campaign_key, campaign_version, user_id, workflow_id, from_state, to_state, at, cause)
       select k, c, v, u, w, f, t, a, x
         from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[])
              with ordinality as r(k, c, v, u, w, f, t, a, x, n)
        order by n
       on conflict (idempotency_key) do update
         set from_state = excluded.from_state, to_state = excluded.to_state, at = excluded.at, cause = excluded.cause
       returning id`,
      [
        column('idempotencyKey'),
        column('campaignKey'),
        column('campaignVersion'),
        column('userId'),
        column('workflowId'),
        column('fromState'),
        column('toState'),
        column('at'),
        column('cause'),
      ],
    );
    return rows.length;
  }

  async forUser(campaignKey: string, userId: string): Promise<TransitionRecord[]> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `select idempotency_key, campaign_key, campaign_version, user_id, workflow_id, from_state, to_state, at, cause
         from journey_transitions where campaign_key = $1 and user_id = $2 order by at, id`,
      [campaignKey, userId],
    );
    return rows.map((r) => ({
      idempotencyKey: r.idempotency_key as string,
      campaignKey: r.campaign_key as string,
      campaignVersion: r.campaign_version as number,
      userId: r.user_id as string,
      workflowId: r.workflow_id as string,
      fromState: r.from_state as string | null,
      toState: r.to_state as string,
      at: (r.at as Date).toISOString(),
      cause: r.cause as string,
    }));
  }
}
