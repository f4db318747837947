import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { formatPath } from '../../domain/zod-issues';
import { InputError } from './errors';
import { duplicateKeyPath, keyTwiceWords } from '../../domain/json-duplicate-keys';
import { unsafeIntegerLiteral, writeItAsString } from '../../domain/json-unsafe-integers';

/** A body parse error as Fastify's own parsers report theirs (HttpErrorFilter answers FST_ERR_CTP_* with 400 invalid_body). */
function bodyError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, statusCode: 400 });
}

/**
 * The JSON body parser, in place of Fastify's and Nest's (NestFactory is told
 * `bodyParser: false`, so no form-encoded parser either: the API is JSON in
 * and out, and a form body is a 415). What the default let through or said
 * wrongly:
 * - bytes that are not UTF-8 (JSON is UTF-8, RFC 8259) were replaced by
 *   U+FFFD, so two different event ids could become one and the second be
 *   answered as a duplicate; they are a 400 now;
 * - a `__proto__` or `constructor.prototype` key is refused (it could poison
 *   objects built from the body), but it was reported as "not valid JSON";
 *   it is named now;
 * - a key named twice in one object kept the last value and dropped the
 *   first without a word; it is a 400 at its path now (json-duplicate-keys);
 * - a whole number past 2^53 (`12345678901234567890`) was rounded without a
 *   word (two order numbers read as one); it is a 400 at its path now
 *   (json-unsafe-integers, the scan the CLI runs before sending);
 * - an empty body with a JSON content type (a DELETE from a client that sets
 *   the header on every request) was a 400 "Body cannot be empty"; it is no
 *   body now, and a route that needs one says so at its path.
 */
export function installJsonBodyParser(instance: FastifyInstance): void {
  const parse = instance.getDefaultJsonParser('error', 'error');
  instance.removeContentTypeParser('application/json');
  instance.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body: Buffer, done) => {
    if (!isUtf8(body)) {
      done(bodyError('FST_ERR_CTP_INVALID_UTF8', 'The body is not UTF-8 text; JSON must be (RFC 8259). Send it encoded as UTF-8.'), undefined);
      return;
    }
    // No body at all, though the client said JSON (many send the header on every request, DELETE included):
    // there is nothing to parse, and the route says whether it needs a body, with its path.
    if (body.length === 0) {
      done(null, undefined);
      return;
    }
    const text = body.toString('utf8');
    void parse(req, text, (err, value) => {
      if (err && text.length > 0 && parsesAsJson(text)) {
        done(bodyError('FST_ERR_CTP_FORBIDDEN_KEY', 'The body holds a "__proto__" or "constructor.prototype" key, which Kairos does not take.'), undefined);
        return;
      }
      const refused = err ?? silentChangeOf(text);
      if (refused) done(refused, undefined);
      else done(null, value);
    });
  });
  refuseOtherMediaTypes(instance);
}

/**
 * Every other media type is a 415 that says what to send. Fastify reads
 * text/plain as a string, which the routes then refused as "expected object"
 * with a 400, and `fetch(url, { body: JSON.stringify(x) })` without a header
 * sends exactly that. An empty body is no body, whatever its type.
 */
function refuseOtherMediaTypes(instance: FastifyInstance): void {
  instance.removeContentTypeParser('text/plain');
  instance.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body: Buffer, done) => {
    if (body.length === 0) {
      done(null, undefined);
      return;
    }
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().slice(0, 100);
    const said = type ? `Content-Type "${type}"` : 'A body without a Content-Type';
    done(bodyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', `${said} is not one Kairos reads: send JSON with Content-Type: application/json.`), undefined);
  });
}

/**
 * What JSON.parse took from `text` but changed without a word, as a 400 at
 * its path, or undefined: a key named twice (the first value dropped), then
 * a whole number past 2^53 (rounded). The number scan runs only on a text
 * with 16 digits in a row, which few bodies have.
 */
export function silentChangeOf(text: string): InputError | undefined {
  const duplicate = duplicateKeyPath(text);
  if (duplicate) {
    return new InputError([{ path: formatPath('', duplicate), message: keyTwiceWords(duplicate[duplicate.length - 1]) }], 'The body names a key twice in one object.');
  }
  const big = unsafeIntegerLiteral(text);
  if (big) {
    return new InputError(
      [{ path: formatPath('', big.path), message: writeItAsString(big.literal) }],
      'The body holds a whole number past 2^53, which JSON parsers round.',
    );
  }
  return undefined;
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
