import { PostgresProbe } from './postgres-probe';

describe('PostgresProbe', () => {
  it('shares one check among the probes that meet, and asks again for the next (review 59, finding 1)', async () => {
    let queries = 0;
    let answer: (rows: unknown) => void = () => undefined;
    const db = { query: () => (queries++, new Promise((resolve) => (answer = resolve))) };
    const probe = new PostgresProbe(db, 1000);
    const meeting = Promise.all(Array.from({ length: 20 }, () => probe.check()));
    answer([{ read_only: 'off' }]);
    expect((await meeting).every((r) => r.ok)).toBe(true);
    expect(queries).toBe(1);
    const next = probe.check();
    answer([{ read_only: 'on' }]);
    expect(await next).toMatchObject({ ok: false, reason: 'read-only' });
    expect(queries).toBe(2);
    await probe.close();
  });
});
