import { z } from 'zod';

export const URL_CREDENTIALS_MESSAGE =
  "credentials in the URL (user:password@) are refused: they would show in logs, in Temporal's history and on the support desk; receivers check the signature instead";

/** Whether an http(s) URL carries user:password@ (sent as Basic auth, and shown wherever the URL is). */
export function hasUrlCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}

/** The URL as it may be shown: its credentials, if it has any, masked. */
export function withoutCredentials(url: string): string {
  if (!hasUrlCredentials(url)) return url;
  const parsed = new URL(url);
  parsed.username = '***';
  parsed.password = '';
  return parsed.toString();
}

/** Where a webhook or a message goes: an http(s) URL without credentials. */
export const OutboundUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).refine((url) => !hasUrlCredentials(url), { error: URL_CREDENTIALS_MESSAGE });
