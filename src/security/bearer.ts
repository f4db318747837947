import { createHash, timingSafeEqual } from 'node:crypto';

/** The credential of `Authorization: Bearer <credential>` (scheme in any case), trimmed; undefined for any other header. */
export function bearerCredential(header: string | undefined): string | undefined {
  const credential = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim();
  return credential || undefined;
}

/** SHA-256 of a secret: equal lengths for `timingSafeEqual`, whatever the lengths of what is compared. */
export const secretDigest = (secret: string): Buffer => createHash('sha256').update(secret).digest();

/** Whether two digests of `secretDigest` are equal, in constant time. */
export const sameDigest = (a: Buffer, b: Buffer): boolean => timingSafeEqual(a, b);

/** Whether a presented secret is the expected one, compared as digests in constant time. */
export const sameSecret = (presented: string, expected: Buffer): boolean => sameDigest(secretDigest(presented), expected);
