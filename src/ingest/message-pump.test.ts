import { Registry } from 'prom-client';
import type { IncomingEvent } from '../domain/event';
import { jsonBytes } from '../domain/json-size';
import { EventMapping } from './event-mapping';
import { type Delivery, laneOf, MessagePump } from './message-pump';
import { SourceMetrics } from './source-metrics';

const mapping = EventMapping.parse({ id: 'id', type: { const: 'order.completed' }, userId: 'user' });

/** A sink that fails while `down`, and remembers the ids it stored. */
class FakeSink {
  down = false;
  /** Ids whose value PostgreSQL refuses for good: a batch holding one fails as the real store does, with SQLSTATE 22P05. */
  readonly unstorable = new Set<string>();
  readonly stored = new Set<string>();
  /** Per call that stored: how many events, and their properties' bytes as JSON. */
  readonly batches: Array<{ events: number; bytes: number }> = [];
  calls = 0;
  async ingest(events: readonly IncomingEvent[]) {
    this.calls++;
    if (this.down) throw new Error('connect ECONNREFUSED');
    this.batches.push({ events: events.length, bytes: events.reduce((sum, e) => sum + jsonBytes(e.properties), 0) });
    if (events.some((e) => this.unstorable.has(e.id))) throw Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' });
    return {
      results: events.map((e) => {
        const fresh = !this.stored.has(e.id);
        this.stored.add(e.id);
        return { id: e.id, status: fresh ? ('accepted' as const) : ('duplicate' as const) };
      }),
    };
  }
}

function delivery(body: string, log: string[]): Delivery {
  return {
    body: new TextEncoder().encode(body),
    ack: async () => void log.push(`ack ${body}`),
    deadLetter: async (reason) => void log.push(`dead ${body}: ${reason}`),
  };
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
};

describe('MessagePump', () => {
  const setup = (
    opts: { concurrency?: number; maxBatch?: number; capBytes?: number; batchBytes?: number; bodyCapBytes?: number; mapping?: EventMapping; warn?: (m: string) => void; keepAliveEveryMs?: number } = {},
  ) => {
    const sink = new FakeSink();
    const metrics = new SourceMetrics(new Registry());
    const pump = new MessagePump({
      source: 's',
      mapping: opts.mapping ?? mapping,
      concurrency: opts.concurrency ?? 2,
      maxBatch: opts.maxBatch ?? 10,
      batchBytes: opts.batchBytes ?? 5 * 1024 * 1024,
      propertiesCapBytes: opts.capBytes ?? 256 * 1024,
      bodyCapBytes: opts.bodyCapBytes ?? 5 * 1024 * 1024,
      sink,
      metrics,
      warn: opts.warn ?? (() => undefined),
      keepAliveEveryMs: opts.keepAliveEveryMs,
    });
    return { sink, metrics, pump };
  };
  const value = async (m: SourceMetrics, name: 'consumed' | 'duplicates' | 'deadLettered' | 'storeRetries') => (await m[name].get()).values[0]?.value ?? 0;

  it('acknowledges after the store, duplicates too, and dead-letters what does not map with the reason', async () => {
    const { sink, metrics, pump } = setup();
    const log: string[] = [];
    for (const body of ['{"id":"a","user":"u"}', '{"id":"a","user":"u"}', 'nope', '{"id":"b"}']) pump.push(delivery(body, log));
    await until(() => log.length === 4);
    expect(sink.stored).toEqual(new Set(['a']));
    expect(log.filter((l) => l.startsWith('ack'))).toEqual(['ack {"id":"a","user":"u"}', 'ack {"id":"a","user":"u"}']);
    expect(log.filter((l) => l.startsWith('dead'))).toEqual([
      expect.stringMatching(/^dead nope: the message is not JSON/),
      'dead {"id":"b"}: userId: nothing at user in the message',
    ]);
    expect([await value(metrics, 'consumed'), await value(metrics, 'duplicates'), await value(metrics, 'deadLettered')]).toEqual([1, 1, 2]);
  });

  it('dead-letters a message PostgreSQL refuses for good, storing the rest of its batch in order, instead of retrying the batch for ever', async () => {
    const { sink, metrics, pump } = setup({ concurrency: 1, maxBatch: 10 });
    sink.unstorable.add('bad');
    const log: string[] = [];
    for (const id of ['a', 'bad', 'c']) pump.push(delivery(`{"id":"${id}","user":"u"}`, log));
    await until(() => log.length === 3);
    expect(log).toEqual(['ack {"id":"a","user":"u"}', 'dead {"id":"bad","user":"u"}: PostgreSQL refused to store it: unsupported Unicode escape sequence', 'ack {"id":"c","user":"u"}']);
    expect(sink.stored).toEqual(new Set(['a', 'c']));
    expect([await value(metrics, 'consumed'), await value(metrics, 'deadLettered'), await value(metrics, 'storeRetries')]).toEqual([2, 1, 0]);
  });

  it('stops storing a refused batch one by one once it is stopped, handing the rest back (review-56-sources, finding 3)', async () => {
    const { sink, pump } = setup({ concurrency: 1, maxBatch: 10 });
    sink.unstorable.add('bad');
    const gate = () => {
      let open!: () => void;
      return { opened: new Promise<void>((resolve) => (open = resolve)), open: () => open() };
    };
    const first = gate();
    const single = gate();
    let splitting = false;
    const ingest = sink.ingest.bind(sink);
    sink.ingest = async (events) => {
      // The first message's store holds the lane, so the next four make one batch.
      if (events[0].id === 'first') await first.opened;
      // That batch is refused; the split's first single store waits until the stop was asked for.
      if (events.length === 1 && events[0].id === 'a') {
        splitting = true;
        await single.opened;
      }
      return ingest(events);
    };
    const log: string[] = [];
    for (const id of ['first', 'a', 'bad', 'c', 'd']) pump.push({ ...delivery(`{"id":"${id}","user":"u"}`, log), release: () => void log.push(`back ${id}`) });
    first.open();
    await until(() => splitting);
    const stopped = pump.stop();
    single.open();
    await stopped;
    expect(log).toEqual(['ack {"id":"first","user":"u"}', 'ack {"id":"a","user":"u"}', 'back bad', 'back c', 'back d']);
    expect(sink.stored).toEqual(new Set(['first', 'a']));
  });

  it('stores a batch that passes the statement timeout (57014) in halves, in order, instead of retrying it whole for ever (review-58-sources, finding 2)', async () => {
    const warned: string[] = [];
    const { sink, metrics, pump } = setup({ concurrency: 1, maxBatch: 10, warn: (m) => warned.push(m) });
    const sizes: number[] = [];
    const ingest = sink.ingest.bind(sink);
    let first = true;
    sink.ingest = async (events) => {
      sizes.push(events.length);
      // The first store holds the lane until the three behind it are queued, so they make one batch.
      if (first) {
        first = false;
        await until(() => pump.load === 4);
      } else if (events.length > 1) {
        throw Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
      }
      return ingest(events);
    };
    const log: string[] = [];
    for (const id of ['first', 'a', 'b', 'c']) pump.push(delivery(`{"id":"${id}","user":"u"}`, log));
    await until(() => log.length === 4);
    expect(log).toEqual(['first', 'a', 'b', 'c'].map((id) => `ack {"id":"${id}","user":"u"}`));
    // [a b c] times out; [a b] (the first half) too, so a, then b; then c.
    expect(sizes).toEqual([1, 3, 2, 1, 1, 1]);
    expect(sink.stored).toEqual(new Set(['first', 'a', 'b', 'c']));
    expect(await value(metrics, 'storeRetries')).toBe(2);
    // Said once (the second split falls in the same minute), and not as a store that keeps failing.
    expect(warned).toEqual([expect.stringMatching(/^storing 3 events took longer than PostgreSQL allows one statement .*in halves, in order/)]);
    await pump.stop();
  });

  it('hands back the second half of a batch that timed out when stopped while storing the first', async () => {
    const { sink, pump } = setup({ concurrency: 1, maxBatch: 10 });
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    let splitting = false;
    const ingest = sink.ingest.bind(sink);
    let first = true;
    sink.ingest = async (events) => {
      if (first) {
        first = false;
        await until(() => pump.load === 5);
      } else if (events.length > 2) {
        throw Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
      } else {
        splitting = true;
        await opened;
      }
      return ingest(events);
    };
    const log: string[] = [];
    for (const id of ['first', 'a', 'b', 'c', 'd']) pump.push({ ...delivery(`{"id":"${id}","user":"u"}`, log), release: () => void log.push(`back ${id}`) });
    await until(() => splitting);
    const stopped = pump.stop();
    open();
    await stopped;
    expect(log).toEqual(['ack {"id":"first","user":"u"}', 'ack {"id":"a","user":"u"}', 'ack {"id":"b","user":"u"}', 'back c', 'back d']);
  });

  it('retries a single message that passes the statement timeout as it is', async () => {
    const { sink, pump } = setup({ concurrency: 1, maxBatch: 10 });
    const ingest = sink.ingest.bind(sink);
    let attempts = 0;
    sink.ingest = async (events) => {
      if (attempts++ < 2) throw Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
      return ingest(events);
    };
    const log: string[] = [];
    pump.push(delivery('{"id":"a","user":"u"}', log));
    await until(() => log.length === 1);
    expect(log).toEqual(['ack {"id":"a","user":"u"}']);
    await pump.stop();
  });

  it('says it dead-lettered, with the latest reason, at most once a minute', async () => {
    const warned: string[] = [];
    const pump = new MessagePump({ source: 's', mapping, concurrency: 1, maxBatch: 10, batchBytes: 5 * 1024 * 1024, propertiesCapBytes: 1024, bodyCapBytes: 5 * 1024 * 1024, sink: new FakeSink(), metrics: new SourceMetrics(new Registry()), warn: (m) => warned.push(m) });
    const log: string[] = [];
    for (const body of ['nope', '{"id":"b"}', '[]']) pump.push(delivery(body, log));
    await until(() => log.length === 3);
    expect(warned).toEqual([expect.stringMatching(/^dead-lettered 1 message\(s\) since the last such line; the latest because the message is not JSON/)]);
    // The two held back inside the minute are said when the pump stops, with the latest reason, not lost.
    await pump.stop();
    expect(warned).toEqual([expect.stringMatching(/the latest because the message is not JSON/), expect.stringMatching(/^dead-lettered 2 message\(s\) since the last such line; the latest because /)]);
  });

  it('dead-letters a message holding a whole number past 2^53, top-level or nested, at its path, instead of storing it rounded', async () => {
    const warned: string[] = [];
    const withNumbers = EventMapping.parse({ id: 'id', type: { const: 'order.completed' }, userId: 'user', properties: { orderNo: 'orderNo', lines: 'lines' } });
    const { sink, metrics, pump } = setup({ concurrency: 1, mapping: withNumbers, warn: (m) => warned.push(m) });
    const log: string[] = [];
    const top = '{"id":"top","user":"u","orderNo":12345678901234567891}';
    const nested = '{"id":"nested","user":"u","orderNo":1,"lines":[{"sku":"a","orderNo":9007199254740993}]}';
    const kept = '{"id":"kept","user":"u","orderNo":9007199254740992,"lines":[{"price":1.5e20}]}';
    for (const body of [top, nested, kept]) pump.push(delivery(body, log));
    await until(() => log.length === 3);
    const words = (literal: string) => `${literal} is a whole number past 2^53, which a JSON number does not keep exactly; write it as a string: "${literal}"`;
    expect(log).toEqual([`dead ${top}: orderNo: ${words('12345678901234567891')}`, `dead ${nested}: lines[0].orderNo: ${words('9007199254740993')}`, `ack ${kept}`]);
    expect(sink.stored).toEqual(new Set(['kept']));
    expect([await value(metrics, 'consumed'), await value(metrics, 'deadLettered')]).toEqual([1, 2]);
    await pump.stop();
    expect(warned.join('\n')).toContain(`the latest because lines[0].orderNo: ${words('9007199254740993')}`);
  });

  it('dead-letters a message whose properties weigh more than POST /v1/events takes, with the size in the reason', async () => {
    const withBlob = EventMapping.parse({ id: 'id', type: { const: 'order.completed' }, userId: 'user', properties: { blob: 'blob' } });
    const { sink, metrics, pump } = setup({ capBytes: 100, mapping: withBlob });
    const log: string[] = [];
    const small = `{"id":"s","user":"u","blob":"${'x'.repeat(80)}"}`;
    const large = `{"id":"l","user":"u","blob":"${'é'.repeat(45)}"}`;
    for (const body of [small, large]) pump.push(delivery(body, log));
    await until(() => log.length === 2);
    expect(sink.stored).toEqual(new Set(['s']));
    // 45 two-byte characters, quotes, the key: 101 bytes as JSON, one past the cap.
    expect(log).toEqual([`dead ${large}: properties: is 101 bytes as JSON; at most 100 are taken`, `ack ${small}`]);
    expect(await value(metrics, 'deadLettered')).toBe(1);
  });

  it('dead-letters a message larger than MAX_BODY_BYTES before decoding it, with its size in the reason, and stores nothing of it (review-51, finding 4)', async () => {
    const { sink, metrics, pump } = setup({ bodyCapBytes: 1000 });
    const log: string[] = [];
    // Not UTF-8: a pump that decoded it first would give that as the reason.
    const binary: Delivery = { ...delivery('', log), body: new Uint8Array(1001).fill(0xff), deadLetter: async (reason) => void log.push(`dead binary: ${reason}`) };
    pump.push(binary);
    // Valid JSON whose mapped properties are tiny: only its size refuses it, as POST /v1/events would (413).
    const padded = `{"id":"p","user":"u","pad":"${'x'.repeat(1001 - '{"id":"p","user":"u","pad":""}'.length)}"}`;
    expect(Buffer.byteLength(padded)).toBe(1001);
    pump.push(delivery(padded, log));
    // At the cap exactly: taken.
    const atCap = `{"id":"c","user":"u","pad":"${'x'.repeat(1000 - '{"id":"c","user":"u","pad":""}'.length)}"}`;
    pump.push(delivery(atCap, log));
    await until(() => log.length === 3);
    const tooLarge = 'the message is 1001 bytes; a request body may be at most 1000 (MAX_BODY_BYTES): POST /v1/events answers a larger one with a 413';
    expect(log).toEqual([`dead binary: ${tooLarge}`, `dead ${padded}: ${tooLarge}`, `ack ${atCap}`]);
    expect(sink.stored).toEqual(new Set(['c']));
    expect(await value(metrics, 'deadLettered')).toBe(2);
    expect(pump.load).toBe(0);
  });

  it('acknowledges nothing while the store fails, takes no more batches than its concurrency, and catches up', async () => {
    const { sink, metrics, pump } = setup({ concurrency: 1, maxBatch: 2 });
    const log: string[] = [];
    sink.down = true;
    for (let i = 0; i < 6; i++) pump.push(delivery(`{"id":"e${i}","user":"u"}`, log));
    await until(() => sink.calls >= 3);
    expect(log).toEqual([]);
    expect(pump.load).toBe(6);
    expect(await value(metrics, 'storeRetries')).toBeGreaterThanOrEqual(2);
    sink.down = false;
    await until(() => log.length === 6);
    expect(sink.stored.size).toBe(6);
    expect(pump.load).toBe(0);
  });

  it("stores one user's messages in the order given, one batch after the other, while other users' lanes store at once", async () => {
    // A sink that takes a while per call and notes what overlapped.
    const order: string[] = [];
    let open = 0;
    let overlapped = 0;
    const usersInFlight = new Map<string, number>();
    let userOverlap = 0;
    const sink = {
      async ingest(events: readonly IncomingEvent[]) {
        open++;
        if (open > 1) overlapped++;
        const users = new Set(events.map((e) => e.userId));
        for (const u of users) {
          usersInFlight.set(u, (usersInFlight.get(u) ?? 0) + 1);
          if (usersInFlight.get(u)! > 1) userOverlap++;
        }
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 10));
        order.push(...events.map((e) => e.id));
        for (const u of users) usersInFlight.set(u, usersInFlight.get(u)! - 1);
        open--;
        return { results: events.map((e) => ({ id: e.id, status: 'accepted' as const })) };
      },
    };
    const lanes = 4;
    // Users in different lanes, so that lanes have work at once.
    const users = Array.from({ length: 50 }, (_, i) => `user-${i}`).filter((u, i, all) => all.findIndex((o) => laneOf(o, lanes) === laneOf(u, lanes)) === i);
    expect(users.length).toBe(lanes);
    const pump = new MessagePump({ source: 's', mapping, concurrency: lanes, maxBatch: 3, batchBytes: 5 * 1024 * 1024, propertiesCapBytes: 1024, bodyCapBytes: 5 * 1024 * 1024, sink, metrics: new SourceMetrics(new Registry()), warn: () => undefined });
    const log: string[] = [];
    for (let i = 0; i < 20; i++) for (const u of users) pump.push(delivery(`{"id":"${u}-e${String(i).padStart(2, '0')}","user":"${u}"}`, log));
    await until(() => log.length === 20 * users.length);
    for (const u of users) {
      const mine = order.filter((id) => id.startsWith(`${u}-`));
      expect(mine).toEqual([...mine].sort());
      expect(mine).toHaveLength(20);
    }
    expect(userOverlap).toBe(0);
    expect(overlapped).toBeGreaterThan(0);
    expect(pump.load).toBe(0);
  });

  it('spreads users over the lanes, the same lane for the same user', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[laneOf(`u-${i}`, 4)]++;
    for (const n of counts) expect(n).toBeGreaterThan(800);
    expect(laneOf('alice', 4)).toBe(laneOf('alice', 4));
    expect(laneOf('alice', 1)).toBe(0);
  });

  it("hands back what it holds when stopped, unstored and unacknowledged, each user's oldest first", async () => {
    const { sink, pump } = setup({ concurrency: 1, maxBatch: 1 });
    const log: string[] = [];
    sink.down = true;
    for (const id of ['x1', 'x2', 'x3']) pump.push({ ...delivery(`{"id":"${id}","user":"u"}`, log), release: () => void log.push(`release ${id}`) });
    await until(() => sink.calls >= 1);
    await pump.stop();
    expect(log).toEqual(['release x1', 'release x2', 'release x3']);
    expect(sink.stored).toEqual(new Set());
  });

  it('never hands the sink more bytes of properties in one call than a request body may hold, and one message at least', async () => {
    const withBlob = EventMapping.parse({ id: 'id', type: { const: 'order.completed' }, userId: 'user', properties: { blob: 'blob' } });
    const blob = 'x'.repeat(100_000);
    for (const [batchBytes, sizes] of [
      [250_000, [1, 2, 2, 2, 2, 1]],
      [50_000, Array(10).fill(1)],
    ] as const) {
      const { sink, pump } = setup({ concurrency: 1, maxBatch: 1000, capBytes: 256 * 1024, batchBytes, mapping: withBlob });
      const log: string[] = [];
      // Down first, so the nine after the first wait in the lane together (a count alone took them all in one call).
      sink.down = true;
      for (let i = 0; i < 10; i++) pump.push(delivery(`{"id":"b${i}","user":"u","blob":"${blob}"}`, log));
      await until(() => sink.calls >= 1);
      sink.down = false;
      await until(() => log.length === 10);
      expect(sink.stored.size).toBe(10);
      // 250 kB holds two of these (100,011 bytes of properties each) where the count allowed all nine waiting; a budget
      // below one message still stores them, one per call.
      expect({ batchBytes, sizes: sink.batches.map((b) => b.events), overBudget: sink.batches.filter((b) => b.events > 1 && b.bytes > batchBytes) }).toEqual({ batchBytes, sizes, overBudget: [] });
    }
  });

  it('hands back the rest when one release throws (the connection closed), and stop() resolves', async () => {
    const warned: string[] = [];
    const { sink, pump } = setup({ concurrency: 1, maxBatch: 1, warn: (m) => warned.push(m) });
    const log: string[] = [];
    sink.down = true;
    for (const id of ['x1', 'x2', 'x3']) {
      const release = () => {
        if (id === 'x2') throw new Error('CONNECTION_CLOSED');
        log.push(`release ${id}`);
      };
      pump.push({ ...delivery(`{"id":"${id}","user":"u"}`, log), release });
    }
    await until(() => sink.calls >= 1);
    await expect(pump.stop()).resolves.toBeUndefined();
    expect(log).toEqual(['release x1', 'release x3']);
    expect(warned.filter((w) => w.startsWith('could not hand'))).toEqual(['could not hand a message back (the broker hands it out again after its ack wait): CONNECTION_CLOSED']);
  });

  it('goes on retrying when keepAlive throws (the connection closed), with no unhandled rejection, and stores once the sink is back', async () => {
    const unhandled: unknown[] = [];
    const note = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', note);
    try {
      const { sink, pump } = setup({ concurrency: 1, maxBatch: 1, keepAliveEveryMs: 20 });
      const log: string[] = [];
      sink.down = true;
      let keptAlive = 0;
      pump.push({
        ...delivery('{"id":"k","user":"u"}', log),
        keepAlive: () => {
          keptAlive++;
          throw new Error('CONNECTION_CLOSED');
        },
      });
      // A retry after a keepAlive threw: the store went on.
      await until(() => keptAlive >= 1);
      const callsThen = sink.calls;
      await until(() => sink.calls > callsThen);
      sink.down = false;
      await until(() => log.length === 1);
      expect(log).toEqual(['ack {"id":"k","user":"u"}']);
      // A turn of the event loop, for a rejection to be reported if there were one.
      await new Promise((r) => setImmediate(r));
      expect(unhandled).toEqual([]);
      await pump.stop();
    } finally {
      process.off('unhandledRejection', note);
    }
  });

  it('hands back at once a delivery pushed after stop (what a pull still yields), instead of leaving it to the ack wait', async () => {
    const { pump } = setup();
    await pump.stop();
    const log: string[] = [];
    pump.push({ ...delivery('{"id":"x","user":"u"}', log), release: () => void log.push('release x') });
    expect(log).toEqual(['release x']);
    expect(pump.load).toBe(0);
  });

  /** A pump storing x1 (retrying: its sink is down) with x2 queued behind it; `releasing` makes a delivery that logs its hand-back. */
  async function holdingTwo() {
    const { sink, pump } = setup({ concurrency: 1, maxBatch: 1 });
    const log: string[] = [];
    const releasing = (id: string) => ({ ...delivery(`{"id":"${id}","user":"u"}`, log), release: () => void log.push(`release ${id}`) });
    sink.down = true;
    pump.push(releasing('x1'));
    pump.push(releasing('x2'));
    await until(() => sink.calls >= 1);
    return { pump, log, releasing };
  }

  it("hands back what arrives while it stops after the older messages it still holds, so a user's order holds (review-50-diff, finding 2)", async () => {
    const { pump, log, releasing } = await holdingTwo();
    // x1's batch is being stored (retrying) and x2 queued behind it when the stop begins; x3 comes from the last pull.
    const stopped = pump.stop();
    pump.push(releasing('x3'));
    await stopped;
    expect(log).toEqual(['release x1', 'release x2', 'release x3']);
  });

  it('stops once when stopped twice at once (a consumer stop and its run loop), releasing what arrived in between after the older ones (review-51, finding 5)', async () => {
    const { pump, log, releasing } = await holdingTwo();
    const a = pump.stop();
    pump.push(releasing('x3'));
    const b = pump.stop();
    await expect(Promise.all([a, b])).resolves.toEqual([undefined, undefined]);
    expect(log).toEqual(['release x1', 'release x2', 'release x3']);
    // Later calls too answer at once, releasing nothing twice.
    await pump.stop();
    expect(log).toHaveLength(3);
  });

  describe('keeping held messages alive (review-52, finding 3)', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    /** A sink whose first store takes 40 s (a slow but answering Temporal behind it), the others none. */
    const slowFirstSink = () => {
      let calls = 0;
      return {
        ingest: (events: readonly IncomingEvent[]) =>
          new Promise<{ results: Array<{ id: string; status: 'accepted' }> }>((resolve) =>
            setTimeout(() => resolve({ results: events.map((e) => ({ id: e.id, status: 'accepted' })) }), calls++ === 0 ? 40_000 : 0),
          ),
      };
    };
    const pumpOver = (sink: ReturnType<typeof slowFirstSink>, keepAliveEveryMs?: number) =>
      new MessagePump({ source: 's', mapping, concurrency: 1, maxBatch: 1, batchBytes: 5 * 1024 * 1024, propertiesCapBytes: 256 * 1024, bodyCapBytes: 5 * 1024 * 1024, sink, metrics: new SourceMetrics(new Registry()), warn: () => undefined, keepAliveEveryMs });
    const keptAlive = (id: string, log: string[]) => ({ ...delivery(`{"id":"${id}","user":"u"}`, log), keepAlive: jest.fn() });

    it('keeps alive the batch being stored and what is queued behind it, before the ack wait ends, and stops once each is acknowledged', async () => {
      const log: string[] = [];
      const pump = pumpOver(slowFirstSink(), 10_000);
      const [first, second] = [keptAlive('a', log), keptAlive('b', log)];
      pump.push(first);
      pump.push(second);
      // Before a 30 s ack wait runs out, whatever the store has done so far (nothing failed).
      await jest.advanceTimersByTimeAsync(29_000);
      expect([first.keepAlive.mock.calls.length, second.keepAlive.mock.calls.length]).toEqual([2, 2]);
      await jest.advanceTimersByTimeAsync(12_000);
      expect(log).toEqual(['ack {"id":"a","user":"u"}', 'ack {"id":"b","user":"u"}']);
      const counts = [first.keepAlive.mock.calls.length, second.keepAlive.mock.calls.length];
      await jest.advanceTimersByTimeAsync(60_000);
      expect([first.keepAlive.mock.calls.length, second.keepAlive.mock.calls.length]).toEqual(counts);
      await pump.stop();
    });

    it('keeps alive what a stop holds until it is handed back, then nothing more', async () => {
      const log: string[] = [];
      const pump = pumpOver(slowFirstSink(), 10_000);
      const [first, second] = [{ ...keptAlive('a', log), release: () => void log.push('release a') }, { ...keptAlive('b', log), release: () => void log.push('release b') }];
      pump.push(first);
      pump.push(second);
      await jest.advanceTimersByTimeAsync(1_000);
      // The batch in hand finishes its store (40 s) before the queued one goes back.
      const stopped = pump.stop();
      await jest.advanceTimersByTimeAsync(39_000);
      await stopped;
      expect(log).toEqual(['ack {"id":"a","user":"u"}', 'release b']);
      // At 10, 20 and 30 s at least: queued behind the stop, it would have come back at 30 s otherwise.
      expect(second.keepAlive.mock.calls.length).toBeGreaterThanOrEqual(3);
      const counts = [first.keepAlive.mock.calls.length, second.keepAlive.mock.calls.length];
      await jest.advanceTimersByTimeAsync(60_000);
      expect([first.keepAlive.mock.calls.length, second.keepAlive.mock.calls.length]).toEqual(counts);
    });

    it('keeps nothing alive without an interval (RabbitMQ: no ack wait to extend)', async () => {
      const log: string[] = [];
      const pump = pumpOver(slowFirstSink());
      const held = keptAlive('a', log);
      pump.push(held);
      await jest.advanceTimersByTimeAsync(40_000);
      expect(log).toEqual(['ack {"id":"a","user":"u"}']);
      expect(held.keepAlive).not.toHaveBeenCalled();
      await pump.stop();
    });
  });

  it('leaves what it holds unacknowledged when stopped', async () => {
    const { sink, pump } = setup();
    const log: string[] = [];
    sink.down = true;
    pump.push(delivery('{"id":"x","user":"u"}', log));
    await until(() => sink.calls >= 1);
    await pump.stop();
    expect(log).toEqual([]);
  });

  describe('saying that storing fails (review-58-sources, finding 4)', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    /** Four users, one in each of four lanes. */
    const users = () => {
      const found = new Map<number, string>();
      for (let i = 0; found.size < 4; i++) if (!found.has(laneOf(`u${i}`, 4))) found.set(laneOf(`u${i}`, 4), `u${i}`);
      return [...found.values()];
    };

    it('says it at once, then at most once a minute while it lasts with the count and the latest error, and once when it stores again', async () => {
      const warned: string[] = [];
      const { sink, metrics, pump } = setup({ concurrency: 4, maxBatch: 10, warn: (m) => warned.push(m) });
      sink.down = true;
      const log: string[] = [];
      for (const user of users()) pump.push(delivery(`{"id":"${user}","user":"${user}"}`, log));
      await jest.advanceTimersByTimeAsync(60_000);
      const failing = warned.filter((w) => w.startsWith('could not store'));
      expect(failing.length).toBeLessThanOrEqual(2);
      expect(failing[0]).toMatch(/^could not store 1 events: connect ECONNREFUSED; retrying with backoff .*; 1 failed attempt\(s\) since storing last succeeded/);
      // The counter carries the rate: every lane's every attempt.
      expect(await value(metrics, 'storeRetries')).toBeGreaterThan(4 * 10);
      // No retry delay in the text: a minute later it is said again, with the count.
      await jest.advanceTimersByTimeAsync(60_000);
      expect(warned.filter((w) => w.startsWith('could not store')).length).toBeLessThanOrEqual(3);
      expect(warned.at(-1)).toMatch(/could not store 1 events: connect ECONNREFUSED; .*; \d{2,} failed attempt\(s\)/);
      sink.down = false;
      await jest.advanceTimersByTimeAsync(10_000);
      expect(log).toHaveLength(4);
      expect(warned.filter((w) => w.startsWith('stored again'))).toEqual([expect.stringMatching(/^stored again after \d{2,} failed attempt\(s\)$/)]);
      // The next trouble is said at once.
      sink.down = true;
      pump.push(delivery('{"id":"later","user":"u0"}', log));
      await jest.advanceTimersByTimeAsync(0);
      expect(warned.at(-1)).toMatch(/^could not store 1 events: .*; 1 failed attempt\(s\)/);
      sink.down = false;
      await jest.advanceTimersByTimeAsync(10_000);
      await pump.stop();
    });
  });
});
