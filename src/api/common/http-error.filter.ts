import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ConflictError,
  DependencyUnavailableError,
  type ErrorBody,
  errorBody,
  InputError,
  NotFoundError,
  PayloadTooLargeError,
} from './errors';
import { postgresDataException, UNSTORABLE_TEXT } from './data-exception';
import { isPostgresUnavailable } from './postgres-unavailable';
import { sqlStateMatching } from '../../store/sql-state';

const HTTP_CODES: Record<number, string> = {
  400: 'invalid_body',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** Maps anything thrown to the error shape of API.md. */
export function toHttpError(err: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (err instanceof InputError) return { status: 400, body: errorBody(err.code, err.message, err.details) };
  if (err instanceof NotFoundError) return { status: 404, body: errorBody('not_found', err.message) };
  if (err instanceof ConflictError) return { status: 409, body: errorBody(err.code, err.message, err.details) };
  if (err instanceof PayloadTooLargeError) return { status: 413, body: errorBody('payload_too_large', err.message, err.details) };
  if (err instanceof DependencyUnavailableError) {
    return {
      status: 503,
      body: errorBody(err.code, err.message),
      ...(err.retryAfterSeconds !== null ? { headers: { 'Retry-After': String(err.retryAfterSeconds) } } : {}),
    };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const code = HTTP_CODES[status] ?? `http_${status}`;
    const res = err.getResponse();
    const message = typeof res === 'string' ? res : ((res as { message?: unknown }).message?.toString() ?? err.message);
    // A 401 says how to authenticate (RFC 9110 §15.5.2): a bearer token (RFC 6750), an API key or METRICS_TOKEN.
    return { status, body: errorBody(code, message), ...(status === 401 ? { headers: { 'WWW-Authenticate': 'Bearer' } } : {}) };
  }
  const fastifyCode = (err as { code?: string; statusCode?: number })?.code;
  const fastifyStatus = (err as { statusCode?: number })?.statusCode;
  if (fastifyCode === 'FST_ERR_CTP_BODY_TOO_LARGE' || fastifyStatus === 413) {
    // Fastify's own error names no limit: the one it enforces is MAX_BODY_BYTES (bodyLimit), said so the sender knows.
    return { status: 413, body: errorBody('payload_too_large', "The request body is too large: it is over this server's MAX_BODY_BYTES.") };
  }
  if (typeof fastifyCode === 'string' && fastifyCode.startsWith('FST_ERR_CTP')) {
    return { status: fastifyCode === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 415 : 400, body: errorBody('invalid_body', (err as Error).message) };
  }
  if (fastifyStatus && fastifyStatus >= 400 && fastifyStatus < 500) {
    return { status: fastifyStatus, body: errorBody(`http_${fastifyStatus}`, (err as Error).message) };
  }
  if (isPostgresUnavailable(err)) {
    // A read-only PostgreSQL (25006: a standby left by a failover, maintenance) answers but takes no writes.
    const message = sqlStateMatching(err, /^25006$/)
      ? 'PostgreSQL takes no writes now (it is read-only); retry after Retry-After seconds.'
      : 'PostgreSQL is not reachable; retry after Retry-After seconds.';
    return { status: 503, body: errorBody('postgres_unavailable', message), headers: { 'Retry-After': '5' } };
  }
  // A deadlock or a serialization failure: two requests met in PostgreSQL (two batches naming the same events in
  // another order, say) and this one was chosen to give way. Nothing of it was stored; the same request passes again.
  const conflict = sqlStateMatching(err, /^(40P01|40001)$/);
  if (conflict) {
    return {
      status: 503,
      body: errorBody('conflict_retry', `PostgreSQL stopped this request to let a concurrent one through (SQLSTATE ${conflict}); nothing of it was stored: send it again.`),
      headers: { 'Retry-After': '1' },
    };
  }
  // statement_timeout (DATABASE_STATEMENT_TIMEOUT_MS) or an operator's pg_cancel_backend: the statement is rolled back.
  if (sqlStateMatching(err, /^57014$/)) {
    return {
      status: 503,
      body: errorBody(
        'postgres_timeout',
        'PostgreSQL stopped a query of this request that ran too long (DATABASE_STATEMENT_TIMEOUT_MS): a lock held elsewhere, or a read over much data. The stopped statement stored nothing; retry after Retry-After seconds, or ask for less (a shorter period, a smaller page).',
      ),
      headers: { 'Retry-After': '5' },
    };
  }
  const sqlstate = postgresDataException(err);
  if (sqlstate && UNSTORABLE_TEXT.has(sqlstate)) {
    return { status: 400, body: errorBody('invalid_text', 'The request holds text that cannot be stored (a NUL character or an invalid byte sequence).') };
  }
  if (sqlstate) {
    return { status: 400, body: errorBody('invalid_value', `The request holds a value PostgreSQL cannot store (SQLSTATE ${sqlstate}, e.g. a number or date out of range).`) };
  }
  return { status: 500, body: errorBody('internal', 'Internal error.') };
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const { status, body, headers } = toHttpError(exception);
    if (status >= 500 && status !== 503) this.logUnexpected(exception, http.getRequest<FastifyRequest | undefined>());
    if (headers) void reply.headers(headers);
    // Always JSON, whatever the route answers on success (/metrics sets text/plain before its handler runs).
    void reply.status(status).type('application/json; charset=utf-8').send(body);
  }

  /**
   * A 500 is a bug, and its stack is what the client's report ("request abc got a 500") must lead to: it is
   * written on the request's own logger, whose lines carry the reqId as Fastify's request lines do.
   */
  private logUnexpected(exception: unknown, request: FastifyRequest | undefined): void {
    if (request?.log) request.log.error({ err: exception }, 'unhandled error');
    else this.logger.error(exception instanceof Error ? exception.stack : String(exception));
  }
}
