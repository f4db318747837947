import { bearerCredential, sameSecret, secretDigest } from '../security/bearer';

/** What a scrape without the token is told: never whether the token it sent was close. */
export const METRICS_TOKEN_NEEDED = 'This /metrics needs METRICS_TOKEN as a bearer token: `Authorization: Bearer <METRICS_TOKEN>`.';

/**
 * Whether a request may read /metrics: always when no METRICS_TOKEN is set
 * (the contract's default: Prometheus scrapes without a key), else only with
 * `Authorization: Bearer <token>`. Compared as digests in constant time.
 */
export function metricsAuthorized(authorization: string | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  const presented = bearerCredential(authorization);
  return presented !== undefined && sameSecret(presented, secretDigest(token));
}
