import { TemporalUnreachableError } from '../temporal/connectivity';
import { SearchAttributesGate } from './search-attributes-gate';

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('SearchAttributesGate', () => {
  const quick = { first: 1, max: 4, bootGrace: 5_000 };
  const log = () => {
    const lines: string[] = [];
    return { lines, info: (l: string) => lines.push(`info ${l}`), warn: (l: string) => lines.push(`warn ${l}`) };
  };

  it('opens at once when the registration succeeds', async () => {
    const gate = new SearchAttributesGate(async () => undefined, 'temporal:7233', log(), quick);
    expect(gate.isOpen).toBe(false);
    await gate.open(true);
    expect(gate.isOpen).toBe(true);
  });

  it('with an outage tolerated, stays closed and retries until Temporal answers, then opens', async () => {
    let calls = 0;
    const register = async () => {
      calls++;
      if (calls < 4) throw new TemporalUnreachableError('no Temporal server answered');
    };
    const l = log();
    const gate = new SearchAttributesGate(register, 'temporal:7233', l, quick);
    await gate.open(true);
    expect(gate.isOpen).toBe(false);
    expect(l.lines).toEqual([expect.stringMatching(/^warn Temporal at temporal:7233 does not answer \(no Temporal server answered\); the API accepts events into the outbox/)]);
    await until(() => gate.isOpen);
    expect({ open: gate.isOpen, calls }).toEqual({ open: true, calls: 4 });
    expect(l.lines.at(-1)).toBe('info Temporal at temporal:7233 answers: search attributes registered, journeys start');
  });

  it('with an outage tolerated, boots on when the first answer takes longer than the grace, and opens once it comes', async () => {
    let answer: () => void = () => undefined;
    const l = log();
    const gate = new SearchAttributesGate(() => new Promise<void>((resolve) => (answer = resolve)), 'temporal:7233', l, { ...quick, bootGrace: 20 });
    await gate.open(true);
    expect(gate.isOpen).toBe(false);
    expect(l.lines).toEqual([expect.stringMatching(/^warn Temporal at temporal:7233 has not answered within 0.02 s; the API accepts events into the outbox/)]);
    answer();
    await until(() => gate.isOpen);
    expect(gate.isOpen).toBe(true);
    expect(l.lines.at(-1)).toBe('info Temporal at temporal:7233 answers: search attributes registered, journeys start');
  });

  it('retries a first attempt that fails after the grace, whatever the failure (the boot has gone on)', async () => {
    let calls = 0;
    let fail: (err: Error) => void = () => undefined;
    const gate = new SearchAttributesGate(
      () => {
        calls++;
        return calls === 1 ? new Promise<void>((_, reject) => (fail = reject)) : Promise.resolve();
      },
      'temporal:7233',
      log(),
      { ...quick, bootGrace: 20 },
    );
    await gate.open(true);
    fail(Object.assign(new Error('Request unauthorized'), { code: 16 }));
    await until(() => gate.isOpen);
    expect({ open: gate.isOpen, calls }).toEqual({ open: true, calls: 2 });
  });

  it('says once why a first attempt that outlasted the grace failed (its message carries the TLS hint)', async () => {
    let calls = 0;
    let fail: (err: Error) => void = () => undefined;
    const l = log();
    const gate = new SearchAttributesGate(
      () => {
        calls++;
        return calls === 1 ? new Promise<void>((_, reject) => (fail = reject)) : Promise.reject(new TemporalUnreachableError('still down'));
      },
      'temporal:7233',
      l,
      { ...quick, bootGrace: 20 },
    );
    await gate.open(true);
    fail(new TemporalUnreachableError('no Temporal server answered (TLS is off: ...)'));
    await until(() => calls >= 3);
    gate.stop();
    expect(l.lines.slice(1)).toEqual(['warn Temporal at temporal:7233 does not answer (no Temporal server answered (TLS is off: ...)); retrying']);
  });

  it('says nothing and opens nothing when the late first answer comes after stop()', async () => {
    let answer: () => void = () => undefined;
    const l = log();
    const gate = new SearchAttributesGate(() => new Promise<void>((resolve) => (answer = resolve)), 'temporal:7233', l, { ...quick, bootGrace: 20 });
    await gate.open(true);
    gate.stop();
    answer();
    await new Promise((r) => setTimeout(r, 20));
    expect({ open: gate.isOpen, lines: l.lines.length }).toEqual({ open: false, lines: 1 });
  });

  it('keeps retrying through other failures once it retries, and stop() ends the retries', async () => {
    let calls = 0;
    const gate = new SearchAttributesGate(
      async () => {
        calls++;
        throw calls === 1 ? new TemporalUnreachableError('down') : new Error('namespace not found');
      },
      'temporal:7233',
      log(),
      quick,
    );
    await gate.open(true);
    await until(() => calls >= 3);
    gate.stop();
    const stoppedAt = calls;
    await new Promise((r) => setTimeout(r, 50));
    expect({ open: gate.isOpen, moreCalls: calls - stoppedAt }).toEqual({ open: false, moreCalls: 0 });
  });

  it('throws an unreachable Temporal when no outage is tolerated (a worker), and any other failure always', async () => {
    const down = new SearchAttributesGate(async () => Promise.reject(new TemporalUnreachableError('down')), 'temporal:7233', log(), quick);
    await expect(down.open(false)).rejects.toThrow('down');
    const refused = Object.assign(new Error('Request unauthorized'), { code: 16 });
    const unauthorized = new SearchAttributesGate(async () => Promise.reject(refused), 'temporal:7233', log(), quick);
    await expect(unauthorized.open(true)).rejects.toBe(refused);
    expect(unauthorized.isOpen).toBe(false);
  });
});
