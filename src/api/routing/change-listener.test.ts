import { EventEmitter } from 'node:events';
import type { DataSource } from 'typeorm';
import { CAMPAIGNS_CHANNEL, ChangeListener, PING_EVERY_MS, PING_TIMEOUT_MS, STEADY_AFTER_PINGS } from './change-listener';

/**
 * pg's Client, faked: connecting and LISTEN answer at once; `select 1` answers as `pingAnswers` says
 * (a silent network drop: never). Every client made is kept, with its config and whether it was ended.
 */
const made: MockClient[] = [];
let pingAnswers: () => Promise<unknown> = () => Promise.resolve({ rows: [] });

class MockClient extends EventEmitter {
  ended = false;
  /** When it was made, on the fake clock. */
  readonly at = Date.now();
  readonly queries: string[] = [];
  constructor(readonly config: Record<string, unknown>) {
    super();
    made.push(this);
  }
  connect() {
    return Promise.resolve();
  }
  query(text: string) {
    this.queries.push(text);
    return text === 'select 1' ? pingAnswers() : Promise.resolve({ rows: [] });
  }
  end() {
    this.ended = true;
    return Promise.resolve();
  }
}

jest.mock('pg', () => ({ Client: jest.fn((config: Record<string, unknown>) => new MockClient(config)) }));

const dataSource = { options: { type: 'postgres', host: '127.0.0.1', port: 5432, username: 'kairos', database: 'kairos' } } as unknown as DataSource;

describe('ChangeListener', () => {
  let listener: ChangeListener;
  const told: (string | null)[] = [];

  beforeEach(async () => {
    jest.useFakeTimers();
    made.length = 0;
    told.length = 0;
    pingAnswers = () => Promise.resolve({ rows: [] });
    listener = new ChangeListener(dataSource);
    listener.subscribe(CAMPAIGNS_CHANNEL, (key) => told.push(key));
    await listener.onApplicationBootstrap();
  });

  afterEach(async () => {
    await listener.onApplicationShutdown();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  /** The time between one connection and the next, for every reconnection so far. */
  const gaps = () => made.slice(1).map((c, i) => c.at - made[i].at);
  /** Each wait after a loss (a gap less the `cycle` the connection lasted) is the backoff's step i: 250 ms doubled i times, less up to 20% jitter. */
  const backoffSteps = (cycle: number) => gaps().map((gap, i) => gap - cycle >= 0.8 * 250 * 2 ** i && gap - cycle <= 250 * 2 ** i + 1);

  it('keeps a connection whose pings are answered', async () => {
    await jest.advanceTimersByTimeAsync(PING_EVERY_MS * 4);
    expect(made).toHaveLength(1);
    expect(made[0].queries.filter((q) => q === 'select 1')).toHaveLength(4);
    expect({ connections: listener.connections, listening: listener.listening, told }).toEqual({ connections: 1, listening: true, told: [null] });
  });

  it('reconnects, and tells its subscribers to reload, when a ping gets no answer (a connection dropped without a word)', async () => {
    pingAnswers = () => new Promise(() => undefined);
    // The timeout decides a turn of the event loop after it is due (a timer of 0, 1 ms).
    await jest.advanceTimersByTimeAsync(PING_EVERY_MS + PING_TIMEOUT_MS + 1);
    expect(made[0].ended).toBe(true);
    expect(listener.listening).toBe(false);
    pingAnswers = () => Promise.resolve({ rows: [] });
    // The first reconnection waits at most the backoff's first step.
    await jest.advanceTimersByTimeAsync(1_000);
    expect(made).toHaveLength(2);
    expect(made[1].queries).toEqual([`listen ${CAMPAIGNS_CHANNEL}`]);
    expect({ connections: listener.connections, listening: listener.listening, told }).toEqual({ connections: 2, listening: true, told: [null, null] });
  });

  it('backs off further at each loss while pings keep coming too late, rather than reconnecting and reloading every 20 s (review-55 diff b, finding 3)', async () => {
    // A saturated database: `select 1` answers, but after the ping's timeout.
    pingAnswers = () => new Promise((resolve) => setTimeout(resolve, PING_TIMEOUT_MS + 1_000));
    await jest.advanceTimersByTimeAsync(180_000);
    const cycle = PING_EVERY_MS + PING_TIMEOUT_MS;
    // 250 ms, 500 ms, 1 s, 2 s, 4 s, 8 s, 16 s after each loss; every reconnection was told to reload.
    expect(backoffSteps(cycle)).toEqual([true, true, true, true, true, true, true]);
    expect(told).toHaveLength(made.length);
  });

  it('keeps backing off while a connection answers fewer than STEADY_AFTER_PINGS pings before it is lost again', async () => {
    // Every connection answers its first ping, and never its second.
    const pingsOf = new Map<MockClient, number>();
    pingAnswers = () => {
      const client = made[made.length - 1];
      pingsOf.set(client, (pingsOf.get(client) ?? 0) + 1);
      return pingsOf.get(client) === 1 ? Promise.resolve({ rows: [] }) : new Promise(() => undefined);
    };
    await jest.advanceTimersByTimeAsync(180_000);
    const cycle = 2 * PING_EVERY_MS + PING_TIMEOUT_MS;
    expect(backoffSteps(cycle)).toEqual([true, true, true, true]);
  });

  it('starts the backoff over once a connection has answered STEADY_AFTER_PINGS pings in a row', async () => {
    pingAnswers = () => new Promise(() => undefined);
    // Five losses (250 ms, 500 ms, 1 s, 2 s, then 4 s before the sixth connection): the next would wait 8 s.
    await jest.advanceTimersByTimeAsync(5 * (PING_EVERY_MS + PING_TIMEOUT_MS) + 250 + 500 + 1_000 + 2_000 + 100);
    expect(made).toHaveLength(5);
    pingAnswers = () => Promise.resolve({ rows: [] });
    await jest.advanceTimersByTimeAsync(4_000 + STEADY_AFTER_PINGS * PING_EVERY_MS);
    expect(made).toHaveLength(6);
    pingAnswers = () => new Promise(() => undefined);
    await jest.advanceTimersByTimeAsync(PING_EVERY_MS + PING_TIMEOUT_MS + 300);
    // The backoff's first step (250 ms), not the 8 s a sixth loss in a row waits.
    expect(made).toHaveLength(7);
    expect(Math.round((made[6].at - made[5].at - (STEADY_AFTER_PINGS + 1) * PING_EVERY_MS - PING_TIMEOUT_MS) / 250) * 250).toBe(250);
  });

  it('does not drop a connection whose answer came in while the event loop stood still (a GC pause): the timeout is due, but the answer is read first', async () => {
    // Both due at the same moment, and the timeout runs first, as after a stall the timers run before the sockets are read.
    pingAnswers = () => new Promise((resolve) => setTimeout(() => resolve({ rows: [] }), PING_TIMEOUT_MS));
    await jest.advanceTimersByTimeAsync(PING_EVERY_MS * 4 + 1_000);
    expect(made).toHaveLength(1);
    expect(made[0].queries.filter((q) => q === 'select 1')).toHaveLength(4);
    expect({ connections: listener.connections, listening: listener.listening, told }).toEqual({ connections: 1, listening: true, told: [null] });
  });

  it('asks the OS for TCP keepalive probes after seconds of idleness, not its 2 hours', () => {
    expect(made[0].config).toMatchObject({ keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
  });
});
