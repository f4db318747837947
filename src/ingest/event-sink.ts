import type { IncomingEvent } from '../domain/event';

/**
 * Where mapped messages go: the same path as POST /v1/events (the API's
 * EventsService fits this shape), which stores the events and their outbox
 * rows in one transaction and answers per event whether it was new.
 * It throws when nothing was stored (PostgreSQL down): the caller keeps the
 * messages unacknowledged and tries again.
 */
export interface EventSink {
  ingest(events: readonly IncomingEvent[]): Promise<{ results: ReadonlyArray<{ id: string; status: 'accepted' | 'duplicate' }> }>;
}
