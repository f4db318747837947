import { QueryFailedError } from 'typeorm';
import { isPostgresUnavailable } from './postgres-unavailable';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isPostgresUnavailable', () => {
  it('recognises what pg and its pool throw when no connection can be had', () => {
    expect(isPostgresUnavailable(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isPostgresUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isPostgresUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isPostgresUnavailable(new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], ''))).toBe(true);
  });

  it('looks inside QueryFailedError for server shutdowns and connection exceptions', () => {
    expect(isPostgresUnavailable(new QueryFailedError('select 1', [], withCode('terminating connection due to administrator command', '57P01')))).toBe(true);
    expect(isPostgresUnavailable(new QueryFailedError('select 1', [], new Error('Connection terminated unexpectedly')))).toBe(true);
    expect(isPostgresUnavailable(withCode('connection failure', '08006'))).toBe(true);
  });

  it('counts a database that is gone, credentials refused and a shortage of resources as unavailable, not as a bug', () => {
    expect(isPostgresUnavailable(withCode('database "kairos" does not exist', '3D000'))).toBe(true);
    expect(isPostgresUnavailable(withCode('password authentication failed for user "kairos"', '28P01'))).toBe(true);
    expect(isPostgresUnavailable(withCode('no pg_hba.conf entry for host', '28000'))).toBe(true);
    expect(isPostgresUnavailable(new QueryFailedError('insert', [], withCode('could not extend file: No space left on device', '53100')))).toBe(true);
    expect(isPostgresUnavailable(withCode('sorry, too many clients already', '53300'))).toBe(true);
  });

  it('counts a read-only database (a standby, maintenance) and a session the server ended as unavailable', () => {
    expect(isPostgresUnavailable(new QueryFailedError('insert', [], withCode('cannot execute INSERT in a read-only transaction', '25006')))).toBe(true);
    expect(isPostgresUnavailable(withCode('terminating connection due to idle-session timeout', '57P05'))).toBe(true);
  });

  it('leaves query errors and anything else alone', () => {
    expect(isPostgresUnavailable(new QueryFailedError('select x', [], withCode('column "x" does not exist', '42703')))).toBe(false);
    expect(isPostgresUnavailable(withCode('duplicate key', '23505'))).toBe(false);
    expect(isPostgresUnavailable(new Error('boom'))).toBe(false);
    expect(isPostgresUnavailable(null)).toBe(false);
    expect(isPostgresUnavailable('ECONNREFUSED')).toBe(false);
  });
});
