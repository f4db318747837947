import { toHttpError } from './http-error.filter';

describe('PostgreSQL data exceptions are the client’s fault', () => {
  it('answers every SQLSTATE of class 22 with 400, wrapped by TypeORM or not', () => {
    for (const code of ['22003', '22007', '22008', '22P02', '22012']) {
      expect(toHttpError({ code }).status).toBe(400);
      expect(toHttpError({ message: 'QueryFailedError', driverError: { code } })).toEqual(expect.objectContaining({ status: 400 }));
    }
    expect(toHttpError({ driverError: { code: '22008' } }).body.error.code).toBe('invalid_value');
    expect(toHttpError({ driverError: { code: '22P05' } }).body.error.code).toBe('invalid_text');
  });

  it('answers a deadlock or a serialization failure 503 with Retry-After: the request was stopped whole and passes again', () => {
    for (const code of ['40P01', '40001']) {
      const answer = toHttpError({ message: 'QueryFailedError', driverError: { code } });
      expect({ status: answer.status, code: answer.body.error.code, headers: answer.headers }).toEqual({ status: 503, code: 'conflict_retry', headers: { 'Retry-After': '1' } });
    }
  });

  it('leaves other classes alone', () => {
    expect(toHttpError({ code: '23505' }).status).toBe(500);
    expect(toHttpError({ code: '42P01' }).status).toBe(500);
  });
});
