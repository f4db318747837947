import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/*
 * A path parameter or the query as sent, for a handler that parses them
 * itself, with schemas that refuse the NUL character (UserId is a
 * WellFormedString; UserEventsQuery is strict and takes no free text),
 * together with the rest of the request. Read through `@Param` or `@Query`,
 * TextParamsPipe would answer a NUL there alone, before the handler could
 * name the body's or the query's problems in the same 400 (docs/api.md,
 * 400: every bad part of the request at once). A custom decorator's value
 * passes that pipe untouched: it checks `param` and `query` arguments only.
 */

const requestOf = (ctx: ExecutionContext) => ctx.switchToHttp().getRequest<FastifyRequest>();

/** The path parameter `name`, for a handler that checks it with a schema refusing NUL. */
export const SchemaCheckedParam = createParamDecorator((name: string, ctx: ExecutionContext): unknown => (requestOf(ctx).params as Record<string, unknown> | undefined)?.[name]);

/** The query, for a handler whose strict query schema refuses NUL in every name and value. */
export const SchemaCheckedQuery = createParamDecorator((_: unknown, ctx: ExecutionContext): unknown => requestOf(ctx).query);
