import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { z } from 'zod';
import type { ApiRouteSpec } from './api-route';
import { InputError } from './errors';
import { QueryParamsGuard, undecodableQueryNames } from './query-params.guard';

/** The guard over one request to a route with `spec` (null: a route without @ApiRoute). */
function check(spec: Partial<ApiRouteSpec> | null, url: string, query: Record<string, unknown> = {}): { path: string; message: string }[] {
  const reflector = { get: () => spec ?? undefined } as unknown as Reflector;
  const ctx = { getHandler: () => () => undefined, switchToHttp: () => ({ getRequest: () => ({ url, query }) }) } as unknown as ExecutionContext;
  try {
    new QueryParamsGuard(reflector).canActivate(ctx);
    return [];
  } catch (err) {
    if (err instanceof InputError) return err.details;
    throw err;
  }
}

// Review 61, finding 4: Fastify's query parser keeps a component it cannot decode as its raw text.
describe('QueryParamsGuard: a query parameter that is not percent-encoded UTF-8 is a 400 at its name', () => {
  const withQuery = { role: 'support', query: z.object({ causedBy: z.string().optional() }) } as Partial<ApiRouteSpec>;

  it('refuses a Latin-1 byte, a broken escape and an encoded lone surrogate, naming the parameter', () => {
    expect(check(withQuery, '/v1/users/u/rewards?causedBy=%E9', { causedBy: '%E9' })).toEqual([{ path: 'causedBy', message: expect.stringMatching(/^not percent-encoded UTF-8/) }]);
    expect(check(withQuery, '/v1/users/u/rewards?limit=5&causedBy=%E9%78').map((d) => d.path)).toEqual(['causedBy']);
    expect(check(withQuery, '/x?a=%zz&b=%ED%A0%80&c=ok').map((d) => d.path)).toEqual(['a', 'b']);
    // A name that does not decode is named as sent.
    expect(check(withQuery, '/x?%E9=1').map((d) => d.path)).toEqual(['%E9']);
  });

  it('takes what decodes, however it is spelled', () => {
    expect(check(withQuery, '/v1/users/u/rewards?causedBy=%25E9', { causedBy: '%E9' })).toEqual([]);
    expect(check(withQuery, '/x?causedBy=caf%C3%A9+au+lait&empty=&flag')).toEqual([]);
    expect(check(withQuery, '/x')).toEqual([]);
  });

  it('on routes without a query schema too, before saying they take none; public routes and unmarked ones are left alone', () => {
    expect(check({ role: 'support' }, '/x?a=%E9', { a: '%E9' })).toEqual([{ path: 'a', message: expect.stringMatching(/^not percent-encoded UTF-8/) }]);
    expect(check({ role: 'support' }, '/x?a=1', { a: '1' })).toEqual([{ path: 'a', message: 'this route takes no query parameters' }]);
    expect(check({ role: 'public' }, '/livez?a=%E9', { a: '%E9' })).toEqual([]);
    expect(check(null, '/x?a=%E9', { a: '%E9' })).toEqual([]);
  });

  it('lists each name once', () => {
    expect(undecodableQueryNames('/x?a=%E9&a=%FF&b=1')).toEqual(['a']);
  });
});
