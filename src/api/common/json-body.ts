import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { formatPath } from '../../domain/zod-issues';
import { InputError } from './errors';
import { duplicateKeyPath, keyTwiceWords, stringEnd } from '../../domain/json-duplicate-keys';
import { forbiddenKeyPath } from '../../domain/json-forbidden-keys';
import { tooDeepError, tooDeepTextPath } from './json-depth';
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
 *   it is named now, at its path;
 * - a body that is not JSON was "Body is not valid JSON" without a word of
 *   where; JSON.parse's reason and its `position` are in the detail now;
 * - a body nested past MAX_JSON_DEPTH was parsed and scanned in full before
 *   json-depth refused it; it is refused from its text first now;
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
    // Before JSON.parse: a body nested past MAX_JSON_DEPTH is refused from one pass over its text, at its path.
    const deep = tooDeepTextPath(text);
    if (deep) {
      done(tooDeepError(deep), undefined);
      return;
    }
    void parse(req, text, (err, value) => {
      const refused = err ? unparsedBodyError(text) : silentChangeOf(text);
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

/**
 * Why Fastify's parser refused `text`, at its path: a key that could reach a
 * prototype (JSON.parse takes the text), else the JSON syntax error, with
 * JSON.parse's reason and the character where it goes wrong (`position`, in
 * the body's text).
 */
export function unparsedBodyError(text: string): InputError {
  // Fastify's parser takes a body that starts with a byte order mark (it drops it); JSON.parse does not.
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const json = text.slice(bom);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    const { reason, position } = syntaxProblem(json, (err as Error).message);
    return new InputError([{ path: '', message: reason, position: position + bom }], 'The body is not valid JSON.', 'invalid_body');
  }
  const at = forbiddenKeyPath(value);
  const key = at?.[at.length - 1];
  return new InputError(
    at ? [{ path: formatPath('', at), message: key === '__proto__' ? 'a "__proto__" key is not taken: rename it' : 'a "prototype" key in a "constructor" object is not taken: rename one of them' }] : [],
    'The body holds a "__proto__" or "constructor.prototype" key, which Kairos does not take.',
    'invalid_body',
  );
}

/**
 * V8's reason without the position or the quote of the text it adds, and the position (V8's, or found when it gives
 * none). V8's position is only ever its message's own ending: a message without one quotes the text, which may say
 * "at position" itself.
 */
function syntaxProblem(text: string, message: string): { reason: string; position: number } {
  const at = /(?: in JSON)? at position (\d+)(?: \(line \d+ column \d+\))?$/.exec(message);
  if (at) return { reason: message.slice(0, at.index), position: Number(at[1]) };
  if (/^Unexpected end of JSON input/.test(message)) return { reason: 'the body ends before the JSON does', position: text.length };
  // `Unexpected token 'x', "...text..." is not valid JSON`: V8 says no position then.
  const position = unexpectedTokenAt(text);
  return { reason: `unexpected ${JSON.stringify(text.charAt(position))}`, position };
}

/**
 * Where a value or a literal (`true`, `false`, `null`) goes wrong in a JSON text, the one mistake for which V8 names
 * no position (`[1,]`, `{"a":}`, `[tru]`, `x`); only asked of a text JSON.parse refused so, whose other tokens up to
 * there are valid.
 */
function unexpectedTokenAt(text: string): number {
  const open: number[] = [];
  let expectValue = true;
  let arrayJustOpened = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    if (!expectValue) {
      if (c === 0x2c /* , */) expectValue = open[open.length - 1] === 0x5b;
      else if (c === 0x3a /* : */) expectValue = true;
      else if (c === 0x7d /* } */ || c === 0x5d /* ] */) open.pop();
      else if (c === 0x22 /* a key */) i = stringEnd(text, i);
      else return i;
      continue;
    }
    if (c === 0x5d /* ] */ && arrayJustOpened) {
      open.pop();
      arrayJustOpened = false;
      expectValue = false;
      continue;
    }
    arrayJustOpened = false;
    expectValue = false;
    if (c === 0x22 /* " */) i = stringEnd(text, i);
    else if (c === 0x7b /* { */) open.push(c);
    else if (c === 0x5b /* [ */) {
      open.push(c);
      expectValue = true;
      arrayJustOpened = true;
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      while (i + 1 < text.length && /[-+.eE0-9]/.test(text.charAt(i + 1))) i++;
    } else {
      const word = c === 0x74 ? 'true' : c === 0x66 ? 'false' : c === 0x6e ? 'null' : '';
      if (!word) return i;
      for (let j = 1; j < word.length; j++) if (text.charAt(i + j) !== word.charAt(j)) return Math.min(i + j, text.length);
      i += word.length - 1;
    }
  }
  return text.length;
}
