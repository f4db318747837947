import type { Transform } from 'node:stream';
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

/**
 * Decodes request bodies sent with `Content-Encoding: gzip`, `deflate` or
 * `br`, and answers any other coding with 415 naming it. Fastify ignores the
 * header, so a compressed body used to reach the JSON parser as it was and
 * came back as "not UTF-8". The decoded body is held to the same `bodyLimit`
 * as a plain one (Fastify counts both the bytes received and the bytes
 * decoded), so a small body that inflates past it is a 413, not memory.
 */
export function installRequestDecoding(instance: FastifyInstance): void {
  instance.addHook('preParsing', (req, _reply, payload, done) => {
    const header = req.headers['content-encoding'];
    const coding = header?.trim().toLowerCase();
    if (!coding || coding === 'identity') {
      done(null, payload);
      return;
    }
    const make = DECODERS[coding];
    if (!make) {
      done(bodyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, `Content-Encoding "${header}" is not one Kairos decodes: send the body ${TAKEN}.`), payload);
      return;
    }
    // Fastify compares Content-Length with receivedEncodedLength, the bytes as sent, not the decoded length.
    const decoder = Object.assign(make(), { receivedEncodedLength: 0 });
    payload.on('data', (chunk: Buffer) => (decoder.receivedEncodedLength += chunk.length));
    payload.on('error', (err) => decoder.destroy(err));
    decoder.on('error', (err: Error & { code?: string; statusCode?: number }) => {
      if (err.statusCode !== undefined) return;
      // zlib's own error (Z_DATA_ERROR, a truncated stream): the body is not what its header says.
      Object.assign(err, { code: 'FST_ERR_CTP_INVALID_ENCODING', statusCode: 400, message: `The body is not valid ${coding} data, as its Content-Encoding says: ${err.message}.` });
    });
    payload.pipe(decoder);
    done(null, decoder as unknown as typeof payload);
  });
}
