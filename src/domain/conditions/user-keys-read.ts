import type { Cond } from './ast';
import { factsRead } from './facts-read';

/**
 * The top-level profile attributes a condition reads (`user.address.city`
 * reads `address`), in the order first read: what batch entry loads of each
 * profile to judge an audience, rather than every attribute (a profile may
 * weigh 256 KiB; a page holds hundreds).
 */
export function userKeysRead(cond: Cond): string[] {
  const keys = factsRead(cond)
    .facts.filter((f) => f.startsWith('user.'))
    .map((f) => f.split('.')[1]);
  return [...new Set(keys)];
}
