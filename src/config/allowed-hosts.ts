import { z } from 'zod';
import { isIP } from 'node:net';
import { HOST_NAME, splitHostPort } from './host-port';

/** One WEBHOOK_ALLOWED_HOSTS entry: a host name or IP, and optionally the one port it is allowed on. */
export const AllowedHost = z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535).optional() });
export type AllowedHost = z.infer<typeof AllowedHost>;

/** `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address; hosts compare lower-case, without brackets. */
export function parseAllowedHost(entry: string): AllowedHost | string {
  const text = entry.trim().toLowerCase();
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)/.exec(text);
  if (url) {
    // Suggested only when it would be taken: `http://foo:99999` has no valid port to list.
    const authority = url[1].replace(/^[^@]*@/, '');
    const suggestion = typeof parseAllowedHost(authority) === 'string' ? '' : ` (${authority})`;
    return `"${entry.trim()}" is a URL; list its host or host:port${suggestion}`;
  }
  const parsed = splitHostPort(text, { bareIpv6: true });
  if (parsed === 'form') return `"${entry.trim()}" is not a host or host:port`;
  if (parsed === 'port') return `"${entry.trim()}" has no valid port (1-65535)`;
  const host = urlHost(parsed.host);
  // `*.partner.example` is a URL's host all the same (`%2a` too), and would match no webhook's host.
  if (parsed.host.includes('*') || host?.includes('*')) return `"${entry.trim()}": wildcards are not supported; list each host (entries match exactly)`;
  // A URL still carries hosts no name has (`a!b`, `a$b`, `{x}`): such an entry would match no webhook's host.
  if (host === undefined || (isIP(host) === 0 && !HOST_NAME.test(host))) return `"${entry.trim()}" is not a host or host:port`;
  return { ...parsed, host };
}

/**
 * A host as a URL's hostname reads, without brackets: `127.1` is 127.0.0.1,
 * `0:0:0:0:0:0:0:1` is ::1, `::ffff:127.0.0.1` is ::ffff:7f00:1, a name is
 * lower-case ASCII (punycode). An entry and a webhook's URL then compare
 * alike however either was written. Undefined when no URL could carry it.
 */
function urlHost(host: string): string | undefined {
  try {
    return new URL(`http://${host.includes(':') ? `[${host}]` : host}/`).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return undefined;
  }
}

/** Comma-separated entries; empty or absent: no host is exempt from the address check. */
export const AllowedHostsList = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    const hosts: AllowedHost[] = [];
    for (const [i, entry] of (raw ?? '').split(',').entries()) {
      if (!entry.trim()) continue;
      const parsed = parseAllowedHost(entry);
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: `entry ${i + 1}: ${parsed}` });
      else hosts.push(parsed);
    }
    return hosts;
  });

/** Whether `host` (as in a URL, IPv6 with or without brackets) on `port` is listed. */
export function isAllowedHost(list: readonly AllowedHost[], host: string, port: number): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  return list.some((a) => a.host.replace(/\.$/, '') === h && (a.port === undefined || a.port === port));
}
