/**
 * Seeded random fact sets for the rule bench: an order event and its user.
 * Every fact is of its one type, or null, or missing, so the three engines
 * are compared where their semantics can agree: a missing or null fact makes
 * a comparison false (CAMPAIGNS.md), which the peers' translations spell out.
 */
import type { EventFacts } from '../../src/domain/conditions';

export interface FactSet {
  event: EventFacts;
  user: Record<string, unknown>;
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Gen = (random: () => number) => unknown;

const int = (min: number, max: number): Gen => (r) => min + Math.floor(r() * (max - min + 1));
const oneOf = (...xs: unknown[]): Gen => (r) => xs[Math.floor(r() * xs.length)];
const bool: Gen = (r) => r() < 0.5;
/** Prices in cents, so some are whole and most are not. */
const price: Gen = (r) => Math.round(r() * 50_000) / 100;
/** A UTC timestamp between `from` and `to`, in the one format the peers order like instants. */
const timestamp = (from: string, to: string): Gen => {
  const a = Date.parse(from);
  const b = Date.parse(to);
  return (r) => new Date(a + Math.floor(r() * (b - a) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
};
const tags: Gen = (r) => ['sale', 'new', 'gift', 'bundle', 'clearance'].filter(() => r() < 0.25);

const EVENT: Record<string, Gen> = {
  price,
  quantity: int(1, 10),
  category: oneOf('books', 'electronics', 'fashion', 'grocery', 'toys'),
  channel: oneOf('web', 'app', 'store'),
  productId: int(1, 50),
  tags,
  coupon: oneOf('WELCOME10', 'SPRING', 'VIP20'),
  firstOrder: bool,
  paidAt: timestamp('2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'),
};

const USER: Record<string, Gen> = {
  tier: oneOf('bronze', 'silver', 'gold', 'platinum'),
  age: int(13, 80),
  country: oneOf('DE', 'FR', 'US', 'JP', 'BR'),
  orders: int(0, 40),
  vip: bool,
  points: int(0, 10_000),
  newsletter: bool,
  signedUpAt: timestamp('2023-01-01T00:00:00Z', '2026-11-01T00:00:00Z'),
};

/** 85 % a value of the fact's type, 5 % null, 10 % missing. */
function fill(gens: Record<string, Gen>, r: () => number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, gen] of Object.entries(gens)) {
    const roll = r();
    if (roll < 0.1) continue;
    out[key] = roll < 0.15 ? null : gen(r);
  }
  return out;
}

export function factSets(count: number, seed: number): FactSet[] {
  const r = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    event: { id: `ord-${i}`, type: 'order.completed', occurredAt: '2026-11-21T09:00:00Z', properties: fill(EVENT, r) },
    user: fill(USER, r),
  }));
}
