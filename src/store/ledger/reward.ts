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

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string | Date).toISOString());
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** From a `rewards` row, read either as a query row or as `to_jsonb(row)` (numerics and times differ in type). */
export function toReward(r: Record<string, unknown>): Reward {
  return {
    id: r.id as string,
    idempotencyKey: r.idempotency_key as string,
    campaignKey: r.campaign_key as string,
    campaignVersion: Number(r.campaign_version),
    userId: r.user_id as string,
    stepId: r.step_id as string,
    kind: r.kind as RewardKind,
    amount: num(r.amount),
    currency: (r.currency as string | null) ?? null,
    code: (r.code as string | null) ?? null,
    pool: (r.pool_key as string | null) ?? null,
    status: r.status as RewardStatus,
    causedBy: (r.caused_by as string[] | null) ?? [],
    expiresAt: iso(r.expires_at),
    redeemedAt: iso(r.redeemed_at),
    createdAt: iso(r.created_at) as string,
    updatedAt: iso(r.updated_at) as string,
  };
}
