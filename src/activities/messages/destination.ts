import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { isAllowedHost, type AllowedHost } from '../../config/allowed-hosts';
import { withTimeout } from '../../retry/with-timeout';

/**
 * Cloud metadata and control endpoints that sit on public-looking addresses
 * (the link-local and private ones are refused by range already).
 */
const METADATA_ADDRESSES = new Set(['168.63.129.16']);

/** The reason an address may not be reached from Kairos, or undefined for a public unicast address. */
export function nonPublicReason(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  // process(): an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is judged as the IPv4 address it carries.
  const ip = ipaddr.process(address);
  if (METADATA_ADDRESSES.has(ip.toString())) return 'a cloud metadata address';
  const range = ip.range();
  // Everything ipaddr.js classifies (loopback, private, linkLocal, uniqueLocal, unspecified,
  // carrierGradeNat, reserved, multicast, 6to4, teredo, rfc6052 ...) is refused; only plain unicast passes.
  if (range !== 'unicast') return `a ${range} address`;
  // An IPv4-compatible address (::a.b.c.d, ::/96, deprecated by RFC 4291) is not unwrapped by process() and reads
  // as unicast, yet some stacks route it to the IPv4 address it carries (::7f00:1 to 127.0.0.1): none is public.
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0)) return 'an IPv4-compatible IPv6 address (::a.b.c.d; deprecated)';
  return undefined;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Destination =
  | { ok: true; url: URL; addresses: ResolvedAddress[] }
  | { ok: false; retryable: boolean; error: string };

/**
 * Resolves the URL's host and checks every address it resolves to; the
 * caller then connects to exactly these addresses (no second lookup), so a
 * DNS answer that changes between the check and the connect cannot swap in
 * an internal address. A host listed in `allowed` skips the address check.
 */
export async function resolveDestination(rawUrl: string, allowed: readonly AllowedHost[], lookupTimeoutMs: number): Promise<Destination> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, retryable: false, error: 'refused: not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, retryable: false, error: `refused: not an http(s) URL (${url.protocol})` };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const exempt = isAllowedHost(allowed, host, port);

  let addresses: ResolvedAddress[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) as 4 | 6 }];
  } else {
    try {
      // A lookup runs on libuv's threads and cannot be called off: a name whose DNS never answers must not keep the
      // delivery waiting past its timeout (the lookup itself ends when the resolver gives up).
      const answer = await withTimeout(lookup(host, { all: true, verbatim: true }), lookupTimeoutMs);
      if (answer === null) return { ok: false, retryable: true, error: `could not resolve ${host} within ${lookupTimeoutMs} ms` };
      addresses = answer.map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
    } catch {
      // DNS may be down for a moment: retried like any network failure.
      return { ok: false, retryable: true, error: `could not resolve ${host}` };
    }
    if (addresses.length === 0) return { ok: false, retryable: true, error: `could not resolve ${host}` };
  }
  if (!exempt) {
    for (const a of addresses) {
      const reason = nonPublicReason(a.address);
      if (reason) {
        return {
          ok: false,
          retryable: false,
          error: `refused: ${host} resolves to ${reason}; list it in WEBHOOK_ALLOWED_HOSTS to allow it`,
        };
      }
    }
  }
  return { ok: true, url, addresses };
}

