import { checkPostgresWritable, runCheck } from './checks';

const answering = (readOnly: string) => ({ query: async () => [{ read_only: readOnly }] });

describe('checkPostgresWritable', () => {
  it('passes a database that takes writes', async () => {
    expect(await runCheck(() => checkPostgresWritable(answering('off')), 1000)).toMatchObject({ ok: true });
  });

  it('fails a database that answers but is read-only (a standby, maintenance), saying so', async () => {
    expect(await runCheck(() => checkPostgresWritable(answering('on')), 1000)).toMatchObject({ ok: false, reason: 'read-only' });
  });

  it('reports a database that does not answer as unreachable', async () => {
    const refusing = { query: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) };
    expect(await runCheck(() => checkPostgresWritable(refusing), 1000)).toMatchObject({ ok: false, reason: 'unreachable' });
  });
});
