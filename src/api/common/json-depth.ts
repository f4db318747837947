import type { FastifyInstance } from 'fastify';
import { keyAt, stringEnd } from '../../domain/json-duplicate-keys';
import { MAX_JSON_DEPTH, TOO_DEEP_MESSAGE, tooDeepPath } from '../../domain/storable';
import { formatPath } from '../../domain/zod-issues';
import { InputError } from './errors';
import { toHttpError } from './http-error.filter';

/**
 * Refuses a JSON body nested deeper than MAX_JSON_DEPTH with a 400 at the
 * path where it goes too deep, before any route reads it: every route then
 * holds only what serializing, TypeORM and PostgreSQL can take, whichever
 * of its fields are free-form (event properties, profile attributes, a
 * campaign's webhook body or message data, a source's definition).
 *
 * The JSON body parser refuses a too-deep body first, from its text
 * (tooDeepTextPath), before JSON.parse and the key scans; this stays the
 * check of what reaches a route whatever parsed it.
 */
export function refuseTooDeepBodies(instance: FastifyInstance): void {
  instance.addHook('preValidation', async (req, reply) => {
    const at = tooDeepPath(req.body);
    if (!at) return;
    const { status, body } = toHttpError(tooDeepError(at));
    return reply.status(status).send(body);
  });
}

/** The refusal of a body nested deeper than MAX_JSON_DEPTH at `path`, as 400 invalid_request. */
export function tooDeepError(path: ReadonlyArray<PropertyKey>): InputError {
  return new InputError([{ path: formatPath('', path), message: TOO_DEEP_MESSAGE }]);
}

/**
 * The path of the first array or object that opens deeper than `maxDepth`
 * levels in a JSON text (the path tooDeepPath gives for the parsed value), or
 * null. One pass over the text, holding only the open containers up to
 * `maxDepth` and stopping at the first one past it: a body of a few MB nested
 * a million levels deep costs no more than reading it once, where JSON.parse
 * and the duplicate-key scan would build all its levels. The text need not
 * be valid JSON (JSON.parse says what else is wrong after this).
 */
export function tooDeepTextPath(text: string, maxDepth = MAX_JSON_DEPTH): Array<string | number> | null {
  // Per open container: whether it is an object, where its current key starts (-1: none yet), an array's index.
  const isObject: boolean[] = [];
  const expectingKey: boolean[] = [];
  const keyStart: number[] = [];
  const index: number[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const top = depth - 1;
      if (top >= 0 && isObject[top] && expectingKey[top]) {
        keyStart[top] = i;
        expectingKey[top] = false;
      }
      i = stringEnd(text, i);
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (depth >= maxDepth) {
        const path: Array<string | number> = [];
        for (let d = 0; d < depth; d++) path.push(isObject[d] ? (keyStart[d] < 0 ? '' : keyAt(text, keyStart[d])) : index[d]);
        return path;
      }
      isObject[depth] = c === 0x7b;
      expectingKey[depth] = true;
      keyStart[depth] = -1;
      index[depth] = 0;
      depth++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (depth > 0) depth--;
    } else if (c === 0x2c /* , */ && depth > 0) {
      if (isObject[depth - 1]) expectingKey[depth - 1] = true;
      else index[depth - 1]++;
    }
  }
  return null;
}
