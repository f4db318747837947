import type { JourneyEvent } from '../../domain/event';
import type { PendingInput } from './carried';
import { campaignArchivedSignal, campaignScheduleSignal, cancelEventSignal, eventSignal, eventsSignal, exitSignal, scheduledEntrySignal, type CancelEventPayload, type ExitPayload } from './contract';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function toEventInput(payload: unknown): PendingInput | null {
  if (!isObject(payload) || payload.version !== 1) return null;
  // The request id is for the logs only: left out of the journey's state, which stays as it was before it existed.
  // The routed version is the delivery's, not the event's: it goes on the input, beside the event.
  const { requestId: _requestId, campaignVersion, delivery, ...e } = payload as unknown as JourneyEvent;
  if (typeof e.id !== 'string' || typeof e.type !== 'string' || typeof e.occurredAt !== 'string') return null;
  return {
    version: 1,
    kind: 'event',
    event: { ...e, properties: isObject(e.properties) ? e.properties : {} },
    user: {},
    ...routedVersion(campaignVersion),
    ...(delivery === 'signal' ? { signalOnly: true } : {}),
  };
}

/** A campaignSchedule signal as an input: a version, an instant it was activated at, and an end instant or null. */
function toScheduleChanged(payload: Record<string, unknown>): PendingInput | null {
  const { campaignVersion, endsAt, activatedAt } = payload;
  const instant = (v: unknown): number | null => (typeof v === 'string' && Number.isFinite(Date.parse(v)) ? Date.parse(v) : null);
  const ends = endsAt === null ? null : instant(endsAt);
  const activated = instant(activatedAt);
  if (routedVersion(campaignVersion).campaignVersion === undefined || activated === null || (endsAt !== null && ends === null)) return null;
  return { version: 1, kind: 'scheduleChanged', campaignVersion: campaignVersion as number, endsAt: ends, activatedAt: activated };
}

/** The version a start delivery was routed to, when the sender said (senders from before it do not); anything else is no version. */
function routedVersion(value: unknown): { campaignVersion?: number } {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 ? { campaignVersion: value } : {};
}

/**
 * A signal as inbox inputs, in order: one for most signals, one per event for
 * the batched `events` signal. Unknown or malformed ones give none (a bad
 * signal must not fail the journey; it is logged and dropped), and so does a
 * malformed event inside a batch, without its neighbours.
 */
export function toPendingInputs(name: string, payload: unknown): Array<{ input: PendingInput; requestId?: string } | null> {
  if (name === eventsSignal.name) {
    if (!isObject(payload) || payload.version !== 1 || !Array.isArray(payload.events)) return [null];
    return payload.events.map((e: unknown) => {
      const input = toEventInput(e);
      return input ? { input, ...requestIdOf(e) } : null;
    });
  }
  const input = toPendingInput(name, payload);
  return [input ? { input, ...(input.kind === 'event' ? requestIdOf(payload) : {}) } : null];
}

function requestIdOf(payload: unknown): { requestId?: string } {
  const requestId = isObject(payload) ? payload.requestId : undefined;
  return typeof requestId === 'string' ? { requestId } : {};
}

/** One signal as an inbox input, or null when it is unknown or malformed. */
export function toPendingInput(name: string, payload: unknown): PendingInput | null {
  if (!isObject(payload) || payload.version !== 1) return null;
  switch (name) {
    case eventSignal.name:
      return toEventInput(payload);
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
      return typeof payload.tickId === 'string' && payload.tickId
        ? {
            version: 1,
            kind: 'scheduledEntry',
            tickId: payload.tickId,
            user: {},
            ...routedVersion(payload.campaignVersion),
            ...(typeof payload.tickAt === 'string' ? { tickAt: payload.tickAt } : {}),
            ...(typeof payload.tickKey === 'string' && payload.tickKey ? { tickKey: payload.tickKey } : {}),
          }
        : null;
    case campaignArchivedSignal.name:
      return { version: 1, kind: 'campaignArchived' };
    case campaignScheduleSignal.name:
      return toScheduleChanged(payload);
    default:
      return null;
  }
}
