import type { SignalOutboxRepository, StoredEvents, StoreRequest } from '../../store/repositories/signal-outbox.repository';
import { GroupedEventStore, STORE_GATHER_MS } from './grouped-event-store';

const part = (id: string): StoreRequest => ({
  events: [{ version: 1, id, type: 't', userId: 'u', occurredAt: '2026-11-30T00:00:00.000Z', properties: {} }],
  deliveries: [],
  leaseMs: 0,
});
const stored = (ids: string[]): StoredEvents => ({ fresh: new Set(ids), queued: [], toSend: [] });

/** A repository that answers at once and remembers how each statement grouped the requests. */
function recordingOutbox() {
  const statements: string[][] = [];
  const outbox = {
    storeEvents: async (events: StoreRequest['events']) => {
      statements.push(events.map((e) => e.id));
      return stored(events.map((e) => e.id));
    },
    storeMany: async (parts: readonly StoreRequest[]) => {
      statements.push(parts.flatMap((p) => p.events.map((e) => e.id)));
      return parts.map((p) => stored(p.events.map((e) => e.id)));
    },
  };
  return { statements, outbox: outbox as unknown as SignalOutboxRepository };
}

describe('GroupedEventStore', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('stores a request at once while the API is not busy', async () => {
    const { statements, outbox } = recordingOutbox();
    const store = new GroupedEventStore(outbox, () => false);
    const answer = store.store(part('a'));
    expect(statements).toEqual([['a']]);
    await expect(answer).resolves.toEqual(stored(['a']));
  });

  it('under load, holds a statement for the gather window so that requests arriving meanwhile share it', async () => {
    const { statements, outbox } = recordingOutbox();
    const store = new GroupedEventStore(outbox, () => true);
    const answers = [store.store(part('a'))];
    jest.advanceTimersByTime(STORE_GATHER_MS - 1);
    answers.push(store.store(part('b')), store.store(part('c')));
    expect(statements).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(statements).toEqual([['a', 'b', 'c']]);
    // Each request gets its own part of the shared answer.
    await expect(Promise.all(answers)).resolves.toEqual([stored(['a']), stored(['b']), stored(['c'])]);
  });
});
