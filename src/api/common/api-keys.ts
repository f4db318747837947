import type { Role } from '../../config/config';
import { sameDigest, secretDigest } from '../../security/bearer';

/** API keys compared in constant time: every configured key is checked, whatever matches. */
export class ApiKeyRing {
  private readonly entries: Array<{ hash: Buffer; role: Role }>;

  constructor(keys: ReadonlyMap<string, Role>) {
    this.entries = [...keys].map(([key, role]) => ({ hash: secretDigest(key), role }));
  }

  roleOf(presented: string): Role | undefined {
    // Hashed once: compared with every key, on every request.
    const hash = secretDigest(presented);
    let found: Role | undefined;
    for (const entry of this.entries) {
      if (sameDigest(entry.hash, hash)) found = entry.role;
    }
    return found;
  }
}
