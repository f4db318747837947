import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './errors';
import { REQUEST_ID_HEADER } from './request-id';

/**
 * Some requests never reach Nest, so HttpErrorFilter cannot shape their
 * answer: a URL Fastify's router cannot decode or whose parameter is too
 * long, and what Node's HTTP parser refuses (headers too large, a malformed
 * request line). These give them the error shape of API.md too.
 */

/**
 * Path parameters may be this long. Event ids and user ids are up to 200
 * characters, which percent-encoded (3 UTF-8 bytes, 3 characters each) can
 * reach 1,800; Fastify's default of 100 turned such lookups into a 414.
 */
export const MAX_PARAM_LENGTH = 2048;

const UNREADABLE_CONSOLE_ADDRESS = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Address not readable · Kairos</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
<h1 style="font-size: 1.4rem">This console address cannot be read</h1>
<p>Part of it is cut or mistyped (a <code>%</code> not followed by two hexadecimal digits), so it names no page. A link copied from the console works whole.</p>
<p><a href="/console">Open the console</a></p>
</body></html>
`;

/** Fastify's `frameworkErrors`: FST_ERR_BAD_URL, FST_ERR_MAX_PARAM_LENGTH, FST_ERR_ASYNC_CONSTRAINT. */
export function frameworkErrors(err: Error & { code?: string }, req: FastifyRequest, reply: FastifyReply): void {
  // These answers skip the onRequest hook that returns the request id; the id exists, so it goes back too.
  void reply.header(REQUEST_ID_HEADER, req.id);
  const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
  // A person followed a console link that was cut or mistyped (`/console/users/100%`): a page, not the API's JSON.
  if (!tooLong && /^\/console(\/|$|\?)/.test(req.raw.url ?? '')) {
    void reply.status(400).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(UNREADABLE_CONSOLE_ADDRESS);
    return;
  }
  void reply
    .status(tooLong ? 414 : 400)
    .send(errorBody(tooLong ? 'uri_too_long' : 'invalid_url', tooLong ? `A path parameter is longer than ${MAX_PARAM_LENGTH} characters.` : 'The URL could not be decoded.'));
}

/** Fastify's `clientErrorHandler`: the connection is closed after the answer, as Node does. */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'The request headers are too large.']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'The request took too long to arrive.']
        : [400, 'invalid_request', 'The request could not be parsed as HTTP.'];
  const body = JSON.stringify(errorBody(code, message));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}
