import { PassThrough, type Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

/** The request codings Kairos decodes: a batch of 1,000 events is about a tenth of its size gzipped. */
const DECODERS: Record<string, () => Transform> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

const TAKEN = 'gzip, deflate, br or none';

/** A body error with a code HttpErrorFilter answers as 400 invalid_body (415 for a media type), as Fastify's own are. */
function bodyError(code: string, statusCode: number, message: string): Error {
  return Object.assign(new Error(message), { code, statusCode });
}

/** Methods whose body Fastify never reads: a stray Content-Encoding on them is no body to decode. */
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'TRACE']);

/**
 * Decodes request bodies sent with `Content-Encoding: gzip`, `deflate` or
 * `br`, and answers any other coding with 415 naming it. Fastify ignores the
 * header, so a compressed body used to reach the JSON parser as it was and
 * came back as "not UTF-8". The decoded body is held to the same `bodyLimit`
 * as a plain one (Fastify counts both the bytes received and the bytes
 * decoded), so a small body that inflates past it is a 413, not memory.
 *
 * An empty body is no body, whatever its coding (a client that sets the
 * headers on every request, DELETE and POST .../pause included): a request
 * with no body (`Content-Length: 0`, a GET) is not decoded, and any other is
 * decoded from its first byte, so one that ends with none (chunked, no
 * chunk) is empty, not zlib's "unexpected end of file".
 */
export function installRequestDecoding(instance: FastifyInstance): void {
  instance.addHook('preParsing', (req, reply, payload, done) => {
    const header = req.headers['content-encoding'];
    const coding = header?.trim().toLowerCase();
    if (!coding || coding === 'identity' || hasNoBody(req.method, req.headers)) {
      done(null, payload);
      return;
    }
    const make = DECODERS[coding];
    if (!make) {
      done(bodyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, `Content-Encoding "${header}" is not one Kairos decodes: send the body ${TAKEN}.`), payload);
      return;
    }
    const out = decodedFromFirstByte(payload, make, coding);
    // Once the answer is out (or the client gone), nothing reads the body any more: a 413 or 415 that Fastify
    // answered without reading, or stopped reading past the limit. The decoder is stopped then, not left working.
    reply.raw.once('close', () => out.destroy());
    done(null, out as unknown as typeof payload);
  });
}

/** A request whose body Fastify does not read (a GET), or that says it has none (`Content-Length: 0`). */
function hasNoBody(method: string, headers: Record<string, string | string[] | undefined>): boolean {
  return BODYLESS_METHODS.has(method) || headers['content-length'] === '0';
}

/**
 * `payload` decoded, the decoder started by the first chunk that arrives: a body that ends before any is an empty
 * body (zlib's decoders call an empty input a truncated stream).
 *
 * Every stream here has an 'error' listener for as long as it can emit one: Fastify listens on `out` only while it
 * reads, and stops (or never starts) for a body past the limit or a Content-Type it cannot read, while zlib may go on
 * to find the body is not its coding. An 'error' with no listener would end the API process. When `out` closes
 * (read to its end, failed, or destroyed once the answer is out), the decoder is stopped and the rest of the body
 * is read and dropped, as Node does with a body no one reads.
 */
function decodedFromFirstByte(payload: Readable, make: () => Transform, coding: string): PassThrough {
  // Fastify compares Content-Length with receivedEncodedLength, the bytes as sent, not the decoded length.
  const out = Object.assign(new PassThrough(), { receivedEncodedLength: 0 });
  // Fastify adds its own listener while it reads; an error once it has stopped has no one to tell.
  out.on('error', () => undefined);
  let decoder: Transform | undefined;
  out.once('close', () => {
    if (!decoder) return;
    payload.unpipe(decoder);
    decoder.destroy();
    payload.resume();
  });
  payload.on('data', (chunk: Buffer) => {
    out.receivedEncodedLength += chunk.length;
    if (decoder || out.destroyed) return;
    decoder = make();
    decoder.on('error', (err: Error & { code?: string; statusCode?: number }) => {
      // zlib's own error (Z_DATA_ERROR, a truncated stream): the body is not what its header says.
      if (err.statusCode === undefined) {
        Object.assign(err, { code: 'FST_ERR_CTP_INVALID_ENCODING', statusCode: 400, message: `The body is not valid ${coding} data, as its Content-Encoding says: ${err.message}.` });
      }
      out.destroy(err);
    });
    decoder.pipe(out);
    // This chunk has been emitted already (the pipe sees the next ones).
    decoder.write(chunk);
    payload.pipe(decoder);
  });
  payload.on('end', () => {
    if (!decoder) out.end();
  });
  // An aborted request: the decoder is stopped when `out` closes.
  payload.on('error', (err) => out.destroy(err));
  return out;
}
