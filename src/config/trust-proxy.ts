import ipaddr from 'ipaddr.js';
import { z } from 'zod';

/**
 * TRUST_PROXY: whom Fastify believes about the client's address
 * (X-Forwarded-For), which request logs carry. Unset or `false`: nobody, as
 * when clients reach Kairos directly (compose publishes the port), so a
 * client cannot write another address into the logs; `true`: every hop; a
 * number: that many proxies in front; else a comma-separated list of proxy
 * addresses or CIDR ranges.
 */
export type TrustProxy = boolean | number | string;

export const TrustProxySetting = z
  .string()
  .optional()
  .transform((raw, ctx): TrustProxy => {
    const text = (raw ?? '').trim();
    if (text === '' || text === 'false') return false;
    if (text === 'true') return true;
    if (/^\d+$/.test(text)) {
      const hops = Number(text);
      if (hops >= 1 && hops <= 10) return hops;
      ctx.addIssue({ code: 'custom', message: 'a number of proxies is 1 to 10' });
      return false;
    }
    const entries = text.split(',').map((e) => e.trim());
    for (const e of entries) {
      if (isCanonical(e)) continue;
      const what = ipaddr.isValid(e.split('/')[0])
        ? 'is not written in the usual form: an IPv4 address is four decimal numbers without leading zeros (10.0.0.5, not 010.0.0.5, 0x0a.0.0.5 or 10.5), which Fastify would read otherwise (010 as octal 8)'
        : 'is not an address or a CIDR range (or write true, false or a number of proxies)';
      ctx.addIssue({ code: 'custom', message: `"${e}" ${what}` });
    }
    return entries.join(',');
  });

/**
 * An address or CIDR range as Fastify (@fastify/proxy-addr) reads it the way
 * people do. ipaddr.js's isValid also takes the forms of inet_aton:
 * `010.0.0.1` (octal: 8.0.0.1), `0x0a.0.0.1`, `10.1`; proxy-addr would trust
 * another host than the one meant, and not the proxy, without a word. So an
 * IPv4 address (alone, in a range or at the end of an IPv6 one) must be four
 * decimal numbers without leading zeros, and a prefix a plain number.
 */
function isCanonical(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length > 0) return false;
  if (prefix !== undefined && !(/^(0|[1-9]\d{0,2})$/.test(prefix) && isRange(entry))) return false;
  if (!address.includes(':')) return ipaddr.IPv4.isValidFourPartDecimal(address);
  const dotted = /:([^:]*\.[^:]*)$/.exec(address)?.[1];
  return ipaddr.IPv6.isValid(address) && (dotted === undefined || ipaddr.IPv4.isValidFourPartDecimal(dotted));
}

function isRange(text: string): boolean {
  try {
    ipaddr.parseCIDR(text);
    return true;
  } catch {
    return false;
  }
}
