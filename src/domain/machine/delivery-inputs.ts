import { jsonBytes } from '../json-size';
import type { ResolvedAction } from './effects';

/**
 * What a delivery's activity input carries that the campaign or an event
 * made large: a message's evaluated data, a webhook's body (JSON bytes).
 * The rest of the input (keys, ids, causes) is small and bounded; rewards
 * carry nothing of the kind (0).
 */
export function deliveryInputBytes(action: ResolvedAction): number {
  if (action.type === 'message') return jsonBytes(action.data);
  if (action.type === 'webhook') return jsonBytes(action.body);
  return 0;
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
