import type { JourneyEvent } from '../../src/domain/event';
import type { InProcessKairos } from './in-process-kairos';

/** A campaign every `entryType` event enters (a new journey per user), then waits for `order.paid`. */
export const entryCampaign = (key: string, entryType: string) => ({
  key,
  name: `entered by ${entryType}`,
  entry: { on: entryType },
  initial: 'waiting',
  states: { waiting: { transitions: [{ to: 'paid', on: 'order.paid' }] }, paid: { end: true } },
});

/** One event as a client posts it to /v1/events. */
export const postedEvent = (id: string, userId: string, type: string) => ({ id, type, userId, properties: { amount: 1 } });

/** Throws unless POST /v1/events answered 202 with `n` events accepted. */
export function expectAccepted(res: { status: number; body: unknown }, n: number): void {
  const accepted = (res.body as { accepted?: number }).accepted;
  if (res.status !== 202 || accepted !== n) throw new Error(`POST /v1/events answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
}

/** The raw peer: one signalWithStart of `campaignKey`'s journey for a new user, through Kairos's own client and gateway. */
export async function startRaw(kairos: InProcessKairos, campaignKey: string, type: string, id: string, userId: string): Promise<void> {
  const event: JourneyEvent = { version: 1, id, type, userId, occurredAt: new Date().toISOString(), properties: { amount: 1 } };
  await kairos.journeys.deliver({ kind: 'start', workflowId: kairos.journeys.idOf(campaignKey, userId), campaignKey, campaignVersion: 1, userId, event });
}
