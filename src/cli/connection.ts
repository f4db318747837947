import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CliError, ExitCode } from './exit-codes';
import type { CliIo } from './io';

export interface Connection {
  url: string;
  apiKey?: string;
  /** Where the settings came from, for error messages. */
  from: string;
}

interface ProfileFile {
  current?: string;
  profiles?: Record<string, { url?: string; apiKey?: string }>;
}

/** `KAIROS_CONFIG`, else `$XDG_CONFIG_HOME/kairos/config.yaml`, else `~/.config/kairos/config.yaml`. */
export function profileFilePath(io: Pick<CliIo, 'env' | 'home'>): string {
  if (io.env.KAIROS_CONFIG) return io.env.KAIROS_CONFIG;
  return path.join(io.env.XDG_CONFIG_HOME || path.join(io.home, '.config'), 'kairos', 'config.yaml');
}

function readProfileFile(file: string): ProfileFile | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = parse(readFileSync(file, 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as ProfileFile) : {};
  } catch (err) {
    throw new CliError(`${file}: ${(err as Error).message.split('\n')[0]}`, ExitCode.usage);
  }
}

/** The admin key `npm start` keeps in its data folder (`KAIROS_DATA_DIR`, default `.kairos`), when there is one. */
export function devAdminKey(io: Pick<CliIo, 'env' | 'cwd'>): { key: string; file: string } | undefined {
  const file = path.resolve(io.cwd, io.env.KAIROS_DATA_DIR || '.kairos', 'dev-api-keys.json');
  if (!existsSync(file)) return undefined;
  try {
    const { keys } = JSON.parse(readFileSync(file, 'utf8')) as { keys?: { key: string; role: string }[] };
    const admin = keys?.find((k) => k.role === 'admin');
    return admin ? { key: admin.key, file } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Which Kairos to talk to, first found wins: `--url`/`--api-key`; the
 * profile named by `--profile` (or `KAIROS_PROFILE`); `KAIROS_URL` and
 * `KAIROS_API_KEY`; the profile file's `current` profile; the admin key
 * `npm start` wrote to `.kairos/dev-api-keys.json` with
 * http://127.0.0.1:3000. A URL found without a key also takes that key.
 */
export function resolveConnection(flags: { url?: string; apiKey?: string; profile?: string }, io: Pick<CliIo, 'env' | 'cwd' | 'home'>): Connection {
  const file = profileFilePath(io);
  const profiles = readProfileFile(file);
  const named = flags.profile ?? io.env.KAIROS_PROFILE;
  let base: Connection | undefined;
  if (named) {
    const profile = profiles?.profiles?.[named];
    if (!profile) throw new CliError(`no profile "${named}" in ${file}`, ExitCode.usage);
    if (!profile.url) throw new CliError(`profile "${named}" in ${file} has no url`, ExitCode.usage);
    base = { url: profile.url, apiKey: profile.apiKey, from: `profile "${named}" (${file})` };
  } else if (io.env.KAIROS_URL) {
    base = { url: io.env.KAIROS_URL, apiKey: io.env.KAIROS_API_KEY, from: 'KAIROS_URL' };
  } else if (profiles?.current && profiles.profiles?.[profiles.current]?.url) {
    const p = profiles.profiles[profiles.current];
    base = { url: p.url!, apiKey: p.apiKey, from: `profile "${profiles.current}" (${file})` };
  }
  if (!base) {
    const dev = devAdminKey(io);
    base = { url: 'http://127.0.0.1:3000', apiKey: io.env.KAIROS_API_KEY ?? dev?.key, from: dev ? dev.file : 'the default http://127.0.0.1:3000' };
  }
  const url = flags.url ?? base.url;
  try {
    new URL(url);
  } catch {
    throw new CliError(`not a URL: ${url} (from ${flags.url ? '--url' : base.from})`, ExitCode.usage);
  }
  // A URL without a key (KAIROS_URL=http://127.0.0.1:3710 for an npm start on another port) takes the development key too.
  return { url, apiKey: flags.apiKey ?? base.apiKey ?? io.env.KAIROS_API_KEY ?? devAdminKey(io)?.key, from: base.from };
}
