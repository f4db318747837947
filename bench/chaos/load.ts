import type { InProcessKairos } from '../support/in-process-kairos';
import { sleep } from '../support/stats';

/** What a sender saw; `accepted` holds each event id at most once. */
export class Tally {
  sent = 0;
  readonly accepted = new Set<string>();
  unavailable = 0;
  errors = 0;
}

export interface OrderEvent {
  id: string;
  type: string;
  userId: string;
  properties: Record<string, unknown>;
}

const EVENT_DEADLINE_MS = 4 * 60_000;

/**
 * POSTs one event (or a batch) the way a well-behaved client does: 503 waits
 * Retry-After and repeats, a dropped connection waits a second and repeats,
 * all bounded by a deadline. Throws if the deadline passes unaccepted.
 */
export async function post(kairos: InProcessKairos, tally: Tally, events: OrderEvent[]): Promise<void> {
  const deadline = Date.now() + EVENT_DEADLINE_MS;
  for (let attempt = 0; attempt < 1000 && Date.now() < deadline; attempt++) {
    tally.sent += events.length;
    let res: Awaited<ReturnType<InProcessKairos['postEvents']>>;
    try {
      res = await kairos.postEvents(events);
    } catch {
      tally.errors++;
      await sleep(1000);
      continue;
    }
    if (res.status === 202) {
      for (const e of events) tally.accepted.add(e.id);
      return;
    }
    if (res.status === 503) {
      tally.unavailable++;
      await sleep(Math.min(Number(res.retryAfter ?? 1), 5) * 1000);
      continue;
    }
    throw new Error(`POST /v1/events answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  throw new Error(`events ${events.map((e) => e.id).join(',')} not accepted within ${EVENT_DEADLINE_MS / 1000} s`);
}

/** The three orders of a user; amounts 1, 10, 100 so the reward amount shows exactly which were counted. */
export const ORDER_AMOUNTS = [1, 10, 100] as const;
export const FULL_AMOUNT = 111;

/**
 * Each scenario has its own order event type: an event is routed to every
 * active campaign it enters, so a shared type would put every scenario's
 * users into every scenario's campaign.
 */
export const orderType = (scenario: string) => `order.${scenario}`;

export function orders(prefix: string, userId: string, scenario: string): OrderEvent[] {
  return ORDER_AMOUNTS.map((amount, i) => ({ id: `${prefix}-${userId}-o${i}`, type: orderType(scenario), userId, properties: { amount } }));
}

/** The campaign every chaos scenario runs: three orders, then points equal to their summed amounts. */
export function threeOrdersCampaign(key: string, scenario: string) {
  const type = orderType(scenario);
  return {
    key,
    name: `chaos ${key}`,
    entry: { on: type },
    initial: 'collecting',
    states: {
      collecting: { transitions: [{ to: 'rewarded', when: `count('${type}') >= 3` }] },
      rewarded: { actions: { steps: [{ type: 'points', amount: `sum('${type}', 'amount')` }] }, end: true },
    },
  };
}
