import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import type { Role } from '../../config/config';
import { bearerCredential } from '../../security/bearer';
import type { ApiKeyRing } from './api-keys';
import { ROLE_GRANTS } from './roles';

/**
 * Why a request may not use a route that needs `needed`, or null when its
 * bearer key has a role that grants it: the one decision of RolesGuard and
 * of the key check before the body (key-before-body.ts), words included.
 */
export function keyRefusal(needed: Role, authorization: string | undefined, keys: ApiKeyRing): UnauthorizedException | ForbiddenException | null {
  const key = bearerCredential(authorization);
  if (key === undefined) return new UnauthorizedException('Send an API key as `Authorization: Bearer <key>`.');
  const role = keys.roleOf(key);
  if (!role) return new UnauthorizedException('Unknown API key.');
  if (!ROLE_GRANTS[needed].has(role)) return new ForbiddenException(`This needs the ${needed} role; the key has ${role}.`);
  return null;
}
