import { EventEmitter } from 'node:events';
import type { DataSource } from 'typeorm';
import { CAMPAIGNS_CHANNEL, ChangeListener, PING_EVERY_MS, PING_TIMEOUT_MS } from './change-listener';

/**
 * pg's Client, faked: connecting and LISTEN answer at once; `select 1` answers as `pingAnswers` says
 * (a silent network drop: never). Every client made is kept, with its config and whether it was ended.
 */
const made: MockClient[] = [];
let pingAnswers: () => Promise<unknown> = () => Promise.resolve({ rows: [] });

class MockClient extends EventEmitter {
  ended = false;
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
  });

  it('keeps a connection whose pings are answered', async () => {
    await jest.advanceTimersByTimeAsync(PING_EVERY_MS * 4);
    expect(made).toHaveLength(1);
    expect(made[0].queries.filter((q) => q === 'select 1')).toHaveLength(4);
    expect({ connections: listener.connections, listening: listener.listening, told }).toEqual({ connections: 1, listening: true, told: [null] });
  });

  it('reconnects, and tells its subscribers to reload, when a ping gets no answer (a connection dropped without a word)', async () => {
    pingAnswers = () => new Promise(() => undefined);
    await jest.advanceTimersByTimeAsync(PING_EVERY_MS + PING_TIMEOUT_MS);
    expect(made[0].ended).toBe(true);
    expect(listener.listening).toBe(false);
    pingAnswers = () => Promise.resolve({ rows: [] });
    // The first reconnection waits at most the backoff's first step.
    await jest.advanceTimersByTimeAsync(1_000);
    expect(made).toHaveLength(2);
    expect(made[1].queries).toEqual([`listen ${CAMPAIGNS_CHANNEL}`]);
    expect({ connections: listener.connections, listening: listener.listening, told }).toEqual({ connections: 2, listening: true, told: [null, null] });
  });

  it('asks the OS for TCP keepalive probes after seconds of idleness, not its 2 hours', () => {
    expect(made[0].config).toMatchObject({ keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
  });
});
