/**
 * The 30 marketing rules of `npm run bench:rules`, each 2 to 4 comparisons
 * over one fact set (an event and its user). Written once, in Kairos's JSON
 * tree notation (CAMPAIGNS.md, "Conditions"); `translate.ts` derives the
 * json-rules-engine and json-logic-engine forms from these same objects.
 *
 * Only what all three engines can say natively: == != > >= < <= in, not in,
 * a list fact that contains a value, all / any / not. Date comparisons use
 * full UTC timestamps (`...T00:00:00Z`), the one form in which the peers'
 * string order and Kairos's instant order agree.
 */

export type Scalar = number | string | boolean;
export type RuleOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'nin' | 'contains';
export interface RuleLeaf {
  /** `event.<property>` (read from the event's properties) or `user.<attribute>`. */
  fact: string;
  op: RuleOp;
  value: Scalar | Scalar[];
}
export type RuleCondition = RuleLeaf | { all: RuleCondition[] } | { any: RuleCondition[] } | { not: RuleCondition };
export interface BenchRule {
  name: string;
  when: RuleCondition;
}

const f = (fact: string, op: RuleOp, value: Scalar | Scalar[]): RuleLeaf => ({ fact, op, value });
const all = (...c: RuleCondition[]): RuleCondition => ({ all: c });
const any = (...c: RuleCondition[]): RuleCondition => ({ any: c });
const not = (c: RuleCondition): RuleCondition => ({ not: c });

export const RULES: readonly BenchRule[] = [
  { name: 'big-spender', when: all(f('event.price', 'gte', 200), f('user.tier', 'in', ['gold', 'platinum'])) },
  { name: 'electronics-in-app', when: all(f('event.category', 'eq', 'electronics'), f('event.channel', 'eq', 'app'), f('event.price', 'gt', 100)) },
  { name: 'first-order-welcome', when: all(f('event.firstOrder', 'eq', true), f('event.coupon', 'eq', 'WELCOME10')) },
  { name: 'bulk-buyer', when: all(f('event.quantity', 'gte', 5), f('event.price', 'gte', 50), f('event.category', 'ne', 'grocery')) },
  { name: 'young-fashion', when: all(f('user.age', 'lt', 25), f('event.category', 'eq', 'fashion'), f('event.channel', 'in', ['web', 'app'])) },
  { name: 'loyal-germany', when: all(f('user.country', 'eq', 'DE'), f('user.orders', 'gte', 10)) },
  { name: 'vip-any-way', when: any(f('user.vip', 'eq', true), f('user.points', 'gte', 5000), f('user.tier', 'eq', 'platinum')) },
  { name: 'gift-season', when: all(f('event.tags', 'contains', 'gift'), f('event.price', 'gte', 30), f('event.paidAt', 'gte', '2026-11-15T00:00:00Z')) },
  { name: 'cheap-not-clearance', when: all(not(f('event.tags', 'contains', 'clearance')), f('event.price', 'lt', 20)) },
  { name: 'fibonacci-products', when: all(f('event.productId', 'in', [1, 2, 3, 5, 8, 13, 21, 34]), f('event.quantity', 'gt', 1)) },
  { name: 'store-small-basket', when: all(f('event.channel', 'eq', 'store'), f('event.price', 'lte', 15), f('user.newsletter', 'eq', false)) },
  { name: 'us-teen', when: all(f('user.country', 'eq', 'US'), f('user.age', 'gte', 13), f('user.age', 'lt', 18)) },
  { name: 'senior-reader', when: all(f('user.age', 'gte', 65), f('event.category', 'eq', 'books')) },
  { name: 'points-redeemer', when: all(f('user.points', 'gte', 1000), f('event.price', 'gte', 10), f('event.coupon', 'nin', ['VIP20'])) },
  { name: 'almost-loyal', when: all(f('user.orders', 'lt', 3), f('user.orders', 'gt', 0), f('user.tier', 'eq', 'bronze')) },
  { name: 'online-big-basket', when: all(any(f('event.channel', 'eq', 'web'), f('event.channel', 'eq', 'app')), f('event.price', 'gt', 250)) },
  { name: 'new-arrivals', when: all(f('event.tags', 'contains', 'new'), f('event.category', 'in', ['fashion', 'toys']), f('user.vip', 'ne', true)) },
  { name: 'recent-signup-first-order', when: all(f('user.signedUpAt', 'gte', '2026-06-01T00:00:00Z'), f('event.firstOrder', 'eq', true)) },
  { name: 'single-pricey-item', when: all(f('event.quantity', 'eq', 1), f('event.price', 'gt', 80), f('event.channel', 'ne', 'store')) },
  { name: 'japan-electronics', when: all(f('user.country', 'eq', 'JP'), f('event.category', 'eq', 'electronics'), f('event.price', 'gte', 150), f('user.tier', 'ne', 'bronze')) },
  { name: 'bundle', when: any(f('event.tags', 'contains', 'bundle'), f('event.quantity', 'gte', 8)) },
  { name: 'silver-high-value', when: all(f('user.tier', 'eq', 'silver'), f('event.price', 'gte', 120), f('user.orders', 'gte', 5)) },
  { name: 'france-fashion-sale', when: all(f('user.country', 'eq', 'FR'), f('event.category', 'eq', 'fashion'), f('event.tags', 'contains', 'sale')) },
  { name: 'low-points-app-push', when: all(f('user.points', 'lt', 200), f('user.newsletter', 'eq', true), f('event.channel', 'eq', 'app')) },
  { name: 'early-adopter', when: all(f('user.signedUpAt', 'lt', '2024-06-01T00:00:00Z'), f('user.orders', 'gte', 20)) },
  { name: 'toy-gift', when: all(f('event.category', 'eq', 'toys'), any(f('event.tags', 'contains', 'gift'), f('event.coupon', 'eq', 'SPRING'))) },
  { name: 'vip-non-essentials', when: all(f('event.category', 'nin', ['grocery', 'books']), f('user.vip', 'eq', true), f('event.price', 'gte', 60)) },
  { name: 'black-friday', when: all(f('event.paidAt', 'gte', '2026-11-27T00:00:00Z'), f('event.paidAt', 'lt', '2026-11-28T00:00:00Z'), f('event.price', 'gte', 50)) },
  { name: 'brazil-app-first-order', when: all(f('user.country', 'eq', 'BR'), f('event.channel', 'eq', 'app'), f('event.firstOrder', 'eq', true)) },
  {
    name: 'electronics-regular-or-premium-product',
    when: any(all(f('event.category', 'eq', 'electronics'), f('user.orders', 'gte', 3)), all(f('event.productId', 'gte', 40), f('event.price', 'gt', 300))),
  },
];
