import { lookup, Resolver } from 'node:dns/promises';
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
  const text = canonicalIpv6(address);
  if (text === undefined) return 'not an IP address';
  // process(): an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is judged as the IPv4 address it carries.
  const ip = ipaddr.process(text);
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

/**
 * An IPv6 address as a URL's host reads it (RFC 5952: `::8.8.8.8` is `::808:808`), without its zone; any other
 * text as it is. ipaddr.js reads the dotted form `::a.b.c.d`, which is how Node's resolver and getaddrinfo print an
 * IPv4-compatible address, as IPv4-mapped (`::ffff:a.b.c.d`), so the same address would be judged two ways.
 * Undefined when no URL could carry it.
 */
function canonicalIpv6(address: string): string | undefined {
  if (!address.includes(':')) return address;
  const bare = address.replace(/%.*$/, '');
  try {
    return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Destination =
  | { ok: true; url: URL; addresses: ResolvedAddress[] }
  | { ok: false; retryable: boolean; error: string };

/**
 * A small number of system lookups (`dns.lookup`, getaddrinfo) in flight at a
 * time. A lookup runs on one of libuv's threads (4 unless UV_THREADPOOL_SIZE
 * says otherwise, shared with the pg driver's own lookups, fs, zlib and
 * crypto) and cannot be called off: one whose DNS never answers keeps its
 * thread until the system resolver gives up, well after the delivery stopped
 * waiting. So a slot is freed when the lookup itself ends, not when its caller
 * gives up. A caller waits for a slot until its own deadline: a waiter holds
 * no thread, and a burst of ordinary lookups is not turned into retries.
 */
export class LookupGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {}

  /** The lookup's answer; null when no slot came free, or the lookup did not answer, within `ms`. */
  async run<T>(work: () => Promise<T>, ms: number): Promise<T | null> {
    const deadline = Date.now() + ms;
    if (!(await this.acquire(ms))) return null;
    let lookup: Promise<T>;
    try {
      lookup = work();
    } catch (err) {
      lookup = Promise.reject(err);
    }
    const release = () => {
      this.running -= 1;
      this.waiting.shift()?.();
    };
    lookup.then(release, release);
    return withTimeout(lookup, Math.max(1, deadline - Date.now()));
  }

  private acquire(ms: number): Promise<boolean> {
    if (this.running < this.size) {
      this.running += 1;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const take = () => {
        clearTimeout(timer);
        this.running += 1;
        resolve(true);
      };
      const timer = setTimeout(() => {
        const at = this.waiting.indexOf(take);
        if (at >= 0) this.waiting.splice(at, 1);
        resolve(false);
      }, ms);
      timer.unref();
      this.waiting.push(take);
    });
  }
}

/**
 * System lookups for the channels' gateways in MESSAGE_WEBHOOKS (the names DNS does not know, or a listed gateway's),
 * for hosts in WEBHOOK_ALLOWED_HOSTS (the operator's own, which may need /etc/hosts or the search domains) and for
 * other names DNS does not know (below): three gates of one slot, so that names any campaign can write never hold
 * more than one of libuv's threads and never queue ahead of the listed hosts, and the gateways' lookups never wait
 * behind a campaign's: a webhook step may name a listed host as well as any other, so the listed hosts' slot is not
 * the gateways'. Together they hold at most three threads.
 */
export const gatewayLookups = new LookupGate(1);
export const allowedLookups = new LookupGate(1);
export const fallbackLookups = new LookupGate(1);

/**
 * Resolver errors after which the system lookup is asked instead: the DNS servers said the name has no address, or
 * none could be reached. A name only /etc/hosts knows (`localhost`, a pinned partner host) ends here; c-ares does
 * not read /etc/hosts. A timeout or a server failure does not: that is the DNS that does not answer, and a system
 * lookup would only ask it again on a thread that cannot be freed.
 */
const ASK_THE_SYSTEM = new Set(['ENOTFOUND', 'ENODATA', 'ECONNREFUSED', 'EREFUSED']);

type Resolution = { ok: true; addresses: ResolvedAddress[] } | { ok: false; timedOut: boolean };

/** How long the other address family may still take once one has answered with addresses (at most a quarter of what is left). */
const ONE_FAMILY_GRACE_MS = 1_000;

/** Settles when the query answers with at least one address; never otherwise (a family that fails, or has none, is waited out). */
function withAddresses(query: Promise<string[]>): Promise<void> {
  return query.then(
    (addresses) => (addresses.length > 0 ? undefined : new Promise<void>(() => undefined)),
    () => new Promise<void>(() => undefined),
  );
}

/** The system lookup (getaddrinfo, /etc/hosts included) through `gate`; every address it returns. */
async function systemLookup(host: string, gate: LookupGate, ms: number): Promise<Resolution> {
  try {
    const answer = await gate.run(() => lookup(host, { all: true, verbatim: true }), ms);
    if (answer === null) return { ok: false, timedOut: true };
    return { ok: true, addresses: answer.map((a) => ({ address: a.address, family: a.family as 4 | 6 })) };
  } catch {
    return { ok: false, timedOut: false };
  }
}

/**
 * Both the A and the AAAA records, asked of the DNS servers directly (c-ares: no libuv thread), with a resolver of
 * its own that is cancelled at the deadline, so a name whose DNS never answers holds nothing once the delivery
 * stops waiting. A family with no records (ENODATA, ENOTFOUND) adds none; when neither family has an address, the
 * system lookup is asked for the names only it can know (ASK_THE_SYSTEM), through `fallback` (the gateways' own
 * gate for a gateway's name, so no campaign's name can hold it).
 */
async function resolveName(host: string, ms: number, fallback: LookupGate): Promise<Resolution> {
  const deadline = Date.now() + ms;
  // Two tries, the first with a quarter of the time (c-ares doubles it for the second): a lost packet is asked
  // again, and the usual end still leaves time for the POST that shares the deadline.
  const resolver = new Resolver({ timeout: Math.max(1, Math.floor(ms / 4)), tries: 2 });
  const families = [resolver.resolve4(host), resolver.resolve6(host)];
  const both = Promise.allSettled(families);
  // Once one family has answered with addresses, the other gets a short grace rather than the whole deadline: a DNS
  // path that drops AAAA queries (RFC 4074) would otherwise take the POST's time, or, past the deadline, the A answer.
  const first = await withTimeout(Promise.race([both, ...families.map(withAddresses)]), ms);
  if (first === null) {
    resolver.cancel();
    return { ok: false, timedOut: true };
  }
  const grace = Math.max(1, Math.min(ONE_FAMILY_GRACE_MS, (deadline - Date.now()) / 4));
  let answers = await withTimeout(both, grace);
  if (answers === null) {
    // The family still out rejects as cancelled, and adds none: every address connected to was checked.
    resolver.cancel();
    answers = await both;
  }
  const [v4, v6] = answers;
  const addresses: ResolvedAddress[] = [
    ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 as const })) : []),
    ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 as const })) : []),
  ];
  // Every address either family gave is checked, and only those are connected to: a family that failed adds none.
  if (addresses.length > 0) return { ok: true, addresses };
  const codes = answers.map((a) => (a.status === 'rejected' ? (a.reason as { code?: unknown } | undefined)?.code : 'ENODATA'));
  if (codes.every((code) => typeof code === 'string' && ASK_THE_SYSTEM.has(code))) {
    return systemLookup(host, fallback, Math.max(1, deadline - Date.now()));
  }
  return { ok: false, timedOut: codes.some((code) => code === 'ETIMEOUT' || code === 'ECANCELLED') };
}

/**
 * Resolves the URL's host and checks every address it resolves to; the
 * caller then connects to exactly these addresses (no second lookup), so a
 * DNS answer that changes between the check and the connect cannot swap in
 * an internal address. A host listed in `allowed` skips the address check.
 * A name is resolved by resolveName; a listed one by the system lookup, as
 * the operator may rely on /etc/hosts or search domains for it.
 *
 * `configured`: the URL is the operator's own (a channel's gateway in
 * MESSAGE_WEBHOOKS), not campaign text, so its addresses are not checked
 * either: a gateway on a private network needs no WEBHOOK_ALLOWED_HOSTS
 * entry, which would open it to every campaign's webhook steps. Its name is
 * resolved by resolveName as well (DNS first: in parallel, called off at the
 * deadline), and only a name DNS does not know, or a DNS that cannot be
 * reached, is handed to the system lookup (search domains, /etc/hosts), on a
 * slot of the gateways' own that no campaign's webhook step can hold: one
 * channel's stuck system lookup delays only the gateway names DNS does not
 * know. A listed gateway is resolved by the system lookup (as any listed host,
 * whose /etc/hosts entry comes first), on that same slot.
 */
export async function resolveDestination(
  rawUrl: string,
  allowed: readonly AllowedHost[],
  lookupTimeoutMs: number,
  opts: { configured?: boolean } = {},
): Promise<Destination> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, retryable: false, error: 'refused: not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, retryable: false, error: `refused: not an http(s) URL (${url.protocol})` };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const listed = isAllowedHost(allowed, host, port);
  const exempt = listed || opts.configured === true;

  let addresses: ResolvedAddress[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) as 4 | 6 }];
  } else {
    // DNS may be down for a moment, or never answer: retried like any network failure.
    const resolved = listed
      ? await systemLookup(host, opts.configured === true ? gatewayLookups : allowedLookups, lookupTimeoutMs)
      : await resolveName(host, lookupTimeoutMs, opts.configured === true ? gatewayLookups : fallbackLookups);
    if (!resolved.ok) return { ok: false, retryable: true, error: resolved.timedOut ? `could not resolve ${host} within ${lookupTimeoutMs} ms` : `could not resolve ${host}` };
    addresses = resolved.addresses;
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
