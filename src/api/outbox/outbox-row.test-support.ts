import { toJourneyEvent } from '../../domain/event';
import type { OutboxDelivery } from '../../store/repositories/signal-outbox.repository';

/** A queued start delivery of `order.completed` e-<id> for `user` in campaign `welcome`, under `claim`. */
export const outboxRow = (id: number, user: string, claim = 0): OutboxDelivery => ({
  id,
  eventId: `e-${id}`,
  kind: 'start',
  campaignKey: 'welcome',
  campaignVersion: 1,
  workflowId: `journey:welcome:${user}`,
  userId: user,
  event: toJourneyEvent({ id: `e-${id}`, type: 'order.completed', userId: user, properties: {} }, new Date()),
  attempts: 0,
  refusals: 0,
  requestId: null,
  claim,
});
