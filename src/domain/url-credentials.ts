/**
 * Credentials in a URL (user:password@), told and masked without zod: the
 * journey machine masks them in what it shows, and it runs in the workflow
 * bundle, which must not carry the schema library (outbound-url.ts does).
 */

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
