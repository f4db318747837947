import { jsonBytes } from '../json-size';
import type { RunAction } from './effects';

/**
 * What each activity command of a workflow task costs beyond what it carries
 * below: its type, ids, task queue, timeouts and retry policy, the rest of
 * its input's fields. A few hundred bytes; counted generously.
 */
export const COMMAND_OVERHEAD_BYTES = 1024;

/**
 * What a delivery's activity input weighs as it travels to Temporal: a
 * message's evaluated data or a webhook's body, and the causes every
 * delivery carries (up to 199 event ids of up to 200 characters: 40 KB that
 * a hundred small messages of one task would multiply), its key and its
 * summary, plus COMMAND_OVERHEAD_BYTES. Rewards are not deliveries (0).
 */
export function deliveryInputBytes(e: RunAction): number {
  const { action } = e;
  if (action.type !== 'message' && action.type !== 'webhook') return 0;
  const payload = action.type === 'message' ? jsonBytes(action.data) : jsonBytes(action.body);
  return payload + jsonBytes(e.causedBy) + jsonBytes(e.idempotencyKey) + jsonBytes(e.summary) + COMMAND_OVERHEAD_BYTES;
}

/**
 * Whether one more delivery input of `bytes` fits in a workflow task that
 * has scheduled `spent` already, within `budget`. The first of a task always
 * fits: one input alone is bounded on its own (256 KiB of message data, a
 * campaign's size), and waiting would not make it lighter.
 */
export function fitsInTask(spent: number, bytes: number, budget: number): boolean {
  return spent === 0 || spent + bytes <= budget;
}
