import type { JourneyEvent } from '../../domain/event';
import type { PendingInput } from './carried';
import { cancelEventSignal, eventSignal, exitSignal, scheduledEntrySignal, type CancelEventPayload, type ExitPayload } from './contract';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * A signal as an inbox input, or null when it is unknown or malformed (a bad
 * signal must not fail the journey; it is logged and dropped).
 */
export function toPendingInput(name: string, payload: unknown): PendingInput | null {
  if (!isObject(payload) || payload.version !== 1) return null;
  switch (name) {
    case eventSignal.name: {
      // The request id is for the logs only: left out of the journey's state, which stays as it was before it existed.
      const { requestId: _requestId, ...e } = payload as unknown as JourneyEvent;
      if (typeof e.id !== 'string' || typeof e.type !== 'string' || typeof e.occurredAt !== 'string') return null;
      return { version: 1, kind: 'event', event: { ...e, properties: isObject(e.properties) ? e.properties : {} }, user: {} };
    }
    case cancelEventSignal.name: {
      const c = payload as unknown as CancelEventPayload;
      if (typeof c.eventId !== 'string' || !c.eventId) return null;
      return { version: 1, kind: 'cancelEvent', eventId: c.eventId, reason: typeof c.reason === 'string' ? c.reason : undefined };
    }
    case exitSignal.name: {
      const x = payload as unknown as ExitPayload;
      return { version: 1, kind: 'exit', reason: typeof x.reason === 'string' && x.reason ? x.reason : 'operator' };
    }
    case scheduledEntrySignal.name:
      return typeof payload.tickId === 'string' && payload.tickId ? { version: 1, kind: 'scheduledEntry', tickId: payload.tickId, user: {} } : null;
    default:
      return null;
  }
}
