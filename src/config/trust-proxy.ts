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
    const bad = entries.find((e) => !(ipaddr.isValid(e) || isCidr(e)));
    if (bad !== undefined) ctx.addIssue({ code: 'custom', message: `"${bad}" is not an address or a CIDR range (or write true, false or a number of proxies)` });
    return entries.join(',');
  });

function isCidr(text: string): boolean {
  try {
    ipaddr.parseCIDR(text);
    return true;
  } catch {
    return false;
  }
}
