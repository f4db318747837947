import { SetMetadata } from '@nestjs/common';
import type { Role } from '../../config/config';

export const PUBLIC_KEY = 'kairos:public';

/**
 * Which roles may use a route needing `role` (API.md, "Auth"): `ingest` is its
 * own lane; `support` < `operator` < `admin`; `admin` may do everything.
 */
export const ROLE_GRANTS: Record<Role, ReadonlySet<Role>> = {
  ingest: new Set<Role>(['ingest', 'admin']),
  support: new Set<Role>(['support', 'operator', 'admin']),
  operator: new Set<Role>(['operator', 'admin']),
  admin: new Set<Role>(['admin']),
};

/**
 * Open to all, for a route that is not part of the documented API (the
 * OpenAPI document itself). Documented routes say `role` in `@ApiRoute`.
 */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
