import type { FastifyInstance } from 'fastify';
import { TOO_DEEP_MESSAGE, tooDeepPath } from '../../domain/storable';
import { formatPath } from '../../domain/zod-issues';
import { InputError } from './errors';
import { toHttpError } from './http-error.filter';

/**
 * Refuses a JSON body nested deeper than MAX_JSON_DEPTH with a 400 at the
 * path where it goes too deep, before any route reads it: every route then
 * holds only what serializing, TypeORM and PostgreSQL can take, whichever
 * of its fields are free-form (event properties, profile attributes, a
 * campaign's webhook body or message data, a source's definition).
 */
export function refuseTooDeepBodies(instance: FastifyInstance): void {
  instance.addHook('preValidation', async (req, reply) => {
    const at = tooDeepPath(req.body);
    if (!at) return;
    const { status, body } = toHttpError(new InputError([{ path: formatPath('', at), message: TOO_DEEP_MESSAGE }]));
    return reply.status(status).send(body);
  });
}
