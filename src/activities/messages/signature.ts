import { createHmac, timingSafeEqual } from 'node:crypto';

/** `X-Kairos-Signature`: `sha256=` and the hex HMAC-SHA256 of the raw body, so a receiver can check who sent it. */
export const SIGNATURE_HEADER = 'X-Kairos-Signature';

export function signBody(rawBody: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}

/** What a receiver does; used by the tests and offered to integrators. */
export function verifySignature(rawBody: string, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(rawBody, secret));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
