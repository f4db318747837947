import { Writable } from 'node:stream';
import { type ArgumentsHost, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { createLogger } from '../../logger';
import { NotFoundError } from './errors';
import { HttpErrorFilter, toHttpError } from './http-error.filter';

/** Every line the logger wrote, parsed (pino writes one JSON object per line to a destination stream). */
class CapturedLines extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
}

/**
 * The filter's view of one request: a request whose `log` is a child of the process logger carrying its reqId (what
 * Fastify gives every request: `logger.child({ reqId })`), and a reply that records what was answered.
 */
function exchange(requestId: string) {
  const captured = new CapturedLines();
  const log = createLogger('info', { destination: captured }).child({ reqId: requestId });
  const answered: { status?: number; body?: unknown; headers?: Record<string, string> } = {};
  const reply = {
    headers: (headers: Record<string, string>) => ((answered.headers = { ...answered.headers, ...headers }), reply),
    type: () => reply,
    status: (status: number) => ((answered.status = status), reply),
    send: (body: unknown) => ((answered.body = body), reply),
  };
  const host = { switchToHttp: () => ({ getRequest: () => ({ id: requestId, log }), getResponse: () => reply }) } as unknown as ArgumentsHost;
  return { host, captured, answered };
}

describe('HttpErrorFilter', () => {
  it('challenges with `WWW-Authenticate: Bearer` on every 401, and on no other answer', () => {
    const refused = exchange('rid-401');
    new HttpErrorFilter().catch(new UnauthorizedException('Unknown API key.'), refused.host);
    expect(refused.answered).toEqual({
      status: 401,
      headers: { 'WWW-Authenticate': 'Bearer' },
      body: { error: { code: 'unauthorized', message: 'Unknown API key.', details: [] } },
    });
    const forbidden = exchange('rid-403');
    new HttpErrorFilter().catch(new ForbiddenException('This needs the ingest role; the key has support.'), forbidden.host);
    expect(forbidden.answered.status).toBe(403);
    expect(forbidden.answered.headers).toBeUndefined();
  });

  it("writes a 500's stack on the request's logger, so the line carries the request id the client was given", () => {
    const { host, captured, answered } = exchange('rid-500');
    const bug = new TypeError("Cannot read properties of undefined (reading 'codes')");
    new HttpErrorFilter().catch(bug, host);
    expect(answered).toEqual({ status: 500, body: { error: { code: 'internal', message: 'Internal error.', details: [] } } });
    const errors = captured.lines.filter((l) => l.level === 50);
    expect(errors).toEqual([expect.objectContaining({ reqId: 'rid-500', msg: 'unhandled error' })]);
    const { err } = errors[0] as { err: { type: string; stack: string } };
    expect(err.type).toBe('TypeError');
    expect(err.stack).toContain(bug.stack);
  });

  it("logs a failed query's SQLSTATE, table and constraint, never its bound parameters, statement nor pg's detail", () => {
    const { host, captured, answered } = exchange('rid-query');
    const pg = Object.assign(new Error('duplicate key value violates unique constraint "reward_codes_owner_code_key"'), {
      code: '23505',
      detail: 'Key (user_id, code)=(alice@example.com, SAVE-8F3K) already exists.',
      table: 'reward_codes',
      constraint: 'reward_codes_owner_code_key',
    });
    new HttpErrorFilter().catch(new QueryFailedError('insert into "reward_codes" values ($1, $2)', ['alice@example.com', 'SAVE-8F3K'], pg), host);
    expect(answered.status).toBe(500);
    const written = JSON.stringify(captured.lines);
    expect(written).not.toContain('SAVE-8F3K');
    expect(written).not.toContain('alice@example.com');
    expect(captured.lines).toEqual([
      expect.objectContaining({ reqId: 'rid-query', err: expect.objectContaining({ code: '23505', table: 'reward_codes', constraint: 'reward_codes_owner_code_key' }) }),
    ]);
  });

  it('logs nothing for an answer a client caused (a 404)', () => {
    const { host, captured, answered } = exchange('rid-404');
    new HttpErrorFilter().catch(new NotFoundError('No pool "x".'), host);
    expect(answered.status).toBe(404);
    expect(captured.lines).toEqual([]);
  });
});

describe('toHttpError for a body over Fastify\'s bodyLimit', () => {
  it('answers 413 payload_too_large naming MAX_BODY_BYTES, the limit that bodyLimit is', () => {
    const err = Object.assign(new Error('Request body is too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
    const answer = toHttpError(err);
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe('payload_too_large');
    expect(answer.body.error.message).toMatch(/MAX_BODY_BYTES/);
  });
});
