import type { Client } from 'pg';
import { localServer } from './postgres';

/** A pg Client stand-in whose connect answers as given. */
const clientThat = (connect: () => Promise<void>) =>
  class {
    connect = connect;
    query = async () => ({ rows: [] });
    end = async () => undefined;
  } as unknown as typeof Client;

describe('the local PostgreSQL npm start looks for', () => {
  it('is used when it lets user postgres in', async () => {
    expect(await localServer('postgres://postgres@127.0.0.1:5432/postgres', clientThat(async () => undefined))).toBe(true);
  });

  it('says why when it answers but refuses the login, and is silent when nothing answers', async () => {
    const refused = Object.assign(new Error('password authentication failed for user "postgres"'), { code: '28P01' });
    expect(await localServer('postgres://postgres@127.0.0.1:5432/postgres', clientThat(async () => Promise.reject(refused)))).toBe(
      'refused user postgres without a password (28P01: password authentication failed for user "postgres")',
    );
    const noRole = Object.assign(new Error('role "postgres" does not exist'), { code: '28000' });
    expect(await localServer('postgres://postgres@127.0.0.1:5432/postgres', clientThat(async () => Promise.reject(noRole)))).toMatch(/^refused user postgres .*28000/);
    const nobody = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(await localServer('postgres://postgres@127.0.0.1:5432/postgres', clientThat(async () => Promise.reject(nobody)))).toBe(false);
  });
});
