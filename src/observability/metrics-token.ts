import { bearerCredential, sameDigest, secretDigest } from '../security/bearer';

/** What a scrape without the token is told: never whether the token it sent was close. */
export const METRICS_TOKEN_NEEDED = 'This /metrics needs METRICS_TOKEN as a bearer token: `Authorization: Bearer <METRICS_TOKEN>`.';

/** The tokens of METRICS_TOKEN: one, or several comma-separated while one replaces another (docs/operations.md, rotation). */
export const metricsTokens = (token: string): string[] =>
  token
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

/**
 * Whether a request may read /metrics: always when no METRICS_TOKEN is set
 * (the contract's default: Prometheus scrapes without a key), else only with
 * `Authorization: Bearer <token>` for any token it lists. The presented one is
 * hashed once and compared as a digest with every listed one, in constant time
 * and without stopping at a match.
 */
export function metricsAuthorized(authorization: string | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  const presented = bearerCredential(authorization);
  if (presented === undefined) return false;
  const digest = secretDigest(presented);
  let matched = false;
  for (const listed of metricsTokens(token)) matched = sameDigest(digest, secretDigest(listed)) || matched;
  return matched;
}
