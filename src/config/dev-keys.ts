import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { generateDevKeys, Role } from './config';

/** One file in the data folder: the keys `npm start` prints, the same on every restart. */
export const DEV_KEYS_FILE = 'dev-api-keys.json';

const StoredKeys = z.object({ keys: z.array(z.object({ key: z.string().min(16), role: Role })).min(1) });

/**
 * The development keys of this data folder: read when a previous start left
 * them, else generated once and written readable by the owner only (0600).
 * A file that does not parse (edited by hand) is replaced, with a fresh set.
 */
export function devKeysIn(dataDir: string): { keys: Map<string, Role>; file: string; created: boolean } {
  const file = path.join(dataDir, DEV_KEYS_FILE);
  try {
    const stored = StoredKeys.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (stored.success) return { keys: new Map(stored.data.keys.map((k) => [k.key, k.role] as const)), file, created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && !(err instanceof SyntaxError)) throw err;
  }
  const keys = generateDevKeys();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify({ keys: [...keys].map(([key, role]) => ({ key, role })) }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // mode applies on creation only; a replaced file gets it too
  return { keys, file, created: true };
}
