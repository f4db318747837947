import type { RewardKind } from '../../domain/rewards/contract';

export type { RewardKind } from '../../domain/rewards/contract';
export type RewardStatus = 'issued' | 'redeemed' | 'reclaimed' | 'unreclaimable';

/** A reward as the ledger holds it; JSON-safe. */
export interface Reward {
  id: string;
  idempotencyKey: string;
  campaignKey: string;
  campaignVersion: number;
  userId: string;
  stepId: string;
  kind: RewardKind;
  /** Points or credit; null for a coupon. */
  amount: number | null;
  currency: string | null;
  code: string | null;
  pool: string | null;
  status: RewardStatus;
  /** The event ids that caused it: cancelling any of them reclaims it. */
  causedBy: string[];
  expiresAt: string | null;
  redeemedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * A `rewards` row, read either as a query row (numeric as text, times as
 * Date) or through `to_jsonb(row)` in the ledger functions' results
 * (numeric as a number, times as ISO text).
 */
export interface RewardRow {
  id: string;
  idempotency_key: string;
  campaign_key: string;
  campaign_version: number;
  user_id: string;
  step_id: string;
  kind: RewardKind;
  amount: string | number | null;
  currency: string | null;
  code: string | null;
  pool_key: string | null;
  budget_shard: number | null;
  status: RewardStatus;
  caused_by: string[] | null;
  expires_at: Date | string | null;
  redeemed_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const iso = (v: Date | string): string => new Date(v).toISOString();
const isoOrNull = (v: Date | string | null): string | null => (v === null ? null : iso(v));

/** The one mapper from a `rewards` row (either reading) to a Reward. */
export function toReward(r: RewardRow): Reward {
  return {
    id: r.id,
    idempotencyKey: r.idempotency_key,
    campaignKey: r.campaign_key,
    campaignVersion: Number(r.campaign_version),
    userId: r.user_id,
    stepId: r.step_id,
    kind: r.kind,
    amount: r.amount === null ? null : Number(r.amount),
    currency: r.currency ?? null,
    code: r.code ?? null,
    pool: r.pool_key ?? null,
    status: r.status,
    causedBy: r.caused_by ?? [],
    expiresAt: isoOrNull(r.expires_at ?? null),
    redeemedAt: isoOrNull(r.redeemed_at ?? null),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}
