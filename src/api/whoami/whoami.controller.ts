import { Controller, Get, Inject, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Role } from '../../config/config';
import { bearerCredential } from '../../security/bearer';
import { ApiKeyRing } from '../common/api-keys';
import { ApiRoute } from '../common/api-route';
import { ROLE_GRANTS } from '../common/roles';
import { WhoamiResponse } from './whoami.schemas';

const ROLES: Role[] = ['ingest', 'support', 'operator', 'admin'];

/**
 * What the calling key may do, so a client (the console) shows only what the
 * key allows instead of guessing. Needs support: the console's first call;
 * an ingest key has nothing to read and is told so by the 403.
 */
@Controller('v1/whoami')
export class WhoamiController {
  constructor(@Inject(ApiKeyRing) private readonly keys: ApiKeyRing) {}

  @Get()
  @ApiRoute({
    operationId: 'whoami',
    role: 'support',
    summary: "The calling key's role and every role whose routes it may call, so a client shows only what the key allows. An ingest key is refused (403): it may only send events.",
    success: { status: 200, schema: WhoamiResponse, description: 'The role.' },
  })
  whoami(@Req() request: FastifyRequest): WhoamiResponse {
    // The guard has already matched this header to a role.
    const key = bearerCredential(request.headers.authorization) ?? '';
    const role = this.keys.roleOf(key) as Role;
    return { role, may: ROLES.filter((r) => ROLE_GRANTS[r].has(role)) };
  }
}
