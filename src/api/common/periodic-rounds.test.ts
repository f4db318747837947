import { PeriodicRounds } from './periodic-rounds';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PeriodicRounds', () => {
  it('runs one round at a time, goes on after a round that throws, and stop() waits for the round under way', async () => {
    let running = 0;
    let overlapped = false;
    let rounds = 0;
    const failures: string[] = [];
    let release: () => void = () => undefined;
    const rounds$ = new PeriodicRounds(
      5,
      async () => {
        rounds++;
        running++;
        overlapped ||= running > 1;
        if (rounds === 2) {
          running--;
          throw new Error('PostgreSQL away');
        }
        // The third round is slow: many intervals pass while it runs.
        if (rounds === 3) await new Promise<void>((r) => (release = r));
        running--;
      },
      (err) => failures.push(err.message),
    );
    expect(rounds$.isStopped).toBe(true);
    rounds$.start();
    expect(rounds$.isStopped).toBe(false);
    while (rounds < 3) await tick(5);
    await tick(50);
    expect({ rounds, overlapped, failures }).toEqual({ rounds: 3, overlapped: false, failures: ['PostgreSQL away'] });
    let stopped = false;
    const stopping = rounds$.stop().then(() => (stopped = true));
    await tick(20);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(rounds$.isStopped).toBe(true);
    await tick(50);
    expect(rounds).toBe(3);
  });
});
