import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../config/config';

const digest = (key: string) => createHash('sha256').update(key).digest();

/** API keys compared in constant time: every configured key is checked, whatever matches. */
export class ApiKeyRing {
  private readonly entries: Array<{ hash: Buffer; role: Role }>;

  constructor(keys: ReadonlyMap<string, Role>) {
    this.entries = [...keys].map(([key, role]) => ({ hash: digest(key), role }));
  }

  roleOf(presented: string): Role | undefined {
    const hash = digest(presented);
    let found: Role | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.hash, hash)) found = entry.role;
    }
    return found;
  }
}
