/** A host and, when one was given, its port. */
export interface HostPort {
  host: string;
  port?: number;
}

/** Why a text is not a host with an optional port: its form, or a port outside 1-65535. */
export type HostPortProblem = 'form' | 'port';

/**
 * A host name: labels of letters, digits, hyphens and underscores (Docker's container names have them) between
 * dots, none starting with a hyphen, and a last one that is not all digits, so `0.0.0.0.` or `1.2.3` is not taken
 * for one. No wildcard (`*`) or other punctuation a URL would still carry.
 */
export const HOST_NAME = /^(?=.{1,253}\.?$)([a-z0-9_][a-z0-9_-]{0,62}\.)*(?![0-9]+\.?$)[a-z0-9_][a-z0-9_-]{0,62}\.?$/i;

const BRACKETED = /^\[([0-9a-f.:]+)\](?::([^:/]*))?$/i;
const PLAIN = /^([^\s:/@[\]]+)(?::([^:/]*))?$/;
const BARE_IPV6 = /^[0-9a-f.]*:[0-9a-f.]*:[0-9a-f.:]*$/i;

/**
 * `host`, `host:port`, `[v6]` or `[v6]:port`, and, with `bareIpv6`, an IPv6
 * address without brackets (which then has no port: its colons leave no way
 * to tell one). No scheme, user or path. The host comes back without
 * brackets, as written.
 */
export function splitHostPort(text: string, opts: { bareIpv6?: boolean } = {}): HostPort | HostPortProblem {
  const parts = BRACKETED.exec(text) ?? PLAIN.exec(text);
  if (!parts) return opts.bareIpv6 && BARE_IPV6.test(text) ? { host: text } : 'form';
  const [, host, port] = parts;
  if (port === undefined) return { host };
  const n = Number(port);
  return /^\d+$/.test(port) && n >= 1 && n <= 65535 ? { host, port: n } : 'port';
}
