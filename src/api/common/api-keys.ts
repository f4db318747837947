import type { Role } from '../../config/config';
import { sameSecret, secretDigest } from '../../security/bearer';

/** API keys compared in constant time: every configured key is checked, whatever matches. */
export class ApiKeyRing {
  private readonly entries: Array<{ hash: Buffer; role: Role }>;

  constructor(keys: ReadonlyMap<string, Role>) {
    this.entries = [...keys].map(([key, role]) => ({ hash: secretDigest(key), role }));
  }

  roleOf(presented: string): Role | undefined {
    let found: Role | undefined;
    for (const entry of this.entries) {
      if (sameSecret(presented, entry.hash)) found = entry.role;
    }
    return found;
  }
}
