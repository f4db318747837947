import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { fileProblemReason } from './api';
import { CliError, ExitCode } from './exit-codes';
import type { CliIo } from './io';
import type { EgressProxy } from './proxy';
import { codePointName } from './terminal-text';
import { firstNonUtf8, notUtf8Message } from './utf8';
import { DEFAULT_DATA_DIR } from '../config/data-dir';

export interface Connection {
  url: string;
  apiKey?: string;
  /** Where the settings came from, for error messages. */
  from: string;
  /** How long each request waits for its answer; undefined sets no limit (api.ts switches off undici's own). */
  timeoutMs?: number;
  /** The proxy requests go through (HTTPS_PROXY and the like), when one applies to the URL. */
  proxy?: EgressProxy;
}

/** Seconds each request waits when neither --timeout nor KAIROS_TIMEOUT says. */
export const DEFAULT_TIMEOUT_SECONDS = 60;
// AbortSignal.timeout takes at most 2^31-1 ms; a day is far past any answer worth waiting for.
const MAX_TIMEOUT_SECONDS = 86_400;

/** `--timeout`, else `KAIROS_TIMEOUT`, else 60 s, as milliseconds; 0 is no limit (undefined). */
export function resolveTimeout(flag: string | undefined, env: Record<string, string | undefined>): number | undefined {
  const [name, raw] = flag !== undefined ? ['--timeout', flag] : env.KAIROS_TIMEOUT !== undefined && env.KAIROS_TIMEOUT !== '' ? ['KAIROS_TIMEOUT', env.KAIROS_TIMEOUT] : [undefined, undefined];
  if (name === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = /^\s*\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(seconds >= 0 && seconds <= MAX_TIMEOUT_SECONDS)) {
    throw new CliError(`${name}: expected seconds from 0 (no limit) to ${MAX_TIMEOUT_SECONDS}, got "${raw}"`, ExitCode.usage);
  }
  return seconds === 0 ? undefined : Math.max(1, Math.round(seconds * 1000));
}

interface ProfileFile {
  current?: string;
  profiles?: Record<string, { url?: string; apiKey?: string }>;
}

/**
 * `KAIROS_CONFIG` (a relative one under the folder the user is in, which
 * `npm run -s kairos` is not run in), else
 * `$XDG_CONFIG_HOME/kairos/config.yaml`, else `~/.config/kairos/config.yaml`.
 */
export function profileFilePath(io: Pick<CliIo, 'env' | 'home' | 'cwd'>): string {
  if (io.env.KAIROS_CONFIG) return path.resolve(io.cwd, io.env.KAIROS_CONFIG);
  return path.join(io.env.XDG_CONFIG_HOME || path.join(io.home, '.config'), 'kairos', 'config.yaml');
}

/** What a profile file may hold; other fields are left alone (a newer CLI may write them). */
const ProfileFileSchema = z
  .object({
    current: z.string().optional(),
    profiles: z.record(z.string(), z.object({ url: z.string().optional(), apiKey: z.string().optional() }).loose()).optional(),
  })
  .loose();

/** The profile file's text; bytes that are not UTF-8 are refused at their line and column. */
function profileText(file: string, bytes: Buffer): string {
  // Read as is, a Latin-1 key would be sent with U+FFFD in it, refused as a wrong key with nothing saying why.
  const bad = firstNonUtf8(bytes);
  if (bad) throw new CliError(`${file}:${bad.line}:${bad.col} ${notUtf8Message(bad)} (the profile file: KAIROS_CONFIG, see docs/cli.md)`, ExitCode.usage);
  return bytes.toString('utf8');
}

/**
 * The profile file, or undefined where a default path has none. A file
 * `KAIROS_CONFIG` names must be there: skipped, its typo would send the
 * command on to the next target in line (the local server with its admin key).
 */
function readProfileFile(file: string, named: string | undefined): ProfileFile | undefined {
  if (!existsSync(file)) {
    if (named === undefined) return undefined;
    const shown = named === file ? file : `${named} (${file})`;
    throw new CliError(`KAIROS_CONFIG names ${shown}, which is not there (docs/cli.md, Connecting)`, ExitCode.usage);
  }
  let parsed: unknown;
  try {
    parsed = parse(profileText(file, readFileSync(file))) as unknown;
  } catch (err) {
    if (err instanceof CliError) throw err;
    // A folder or an unreadable file, in words rather than Node's syscall wording (EISDIR: illegal operation ...).
    const reason = fileProblemReason(err);
    if (reason !== undefined) throw new CliError(`${file}: ${reason} (the profile file: KAIROS_CONFIG, see docs/cli.md)`, ExitCode.usage);
    // YAML's first line ends "at line 2, column 1:" before a snippet of the file: the position is the message.
    throw new CliError(`${file}: ${(err as Error).message.split('\n')[0].replace(/:$/, '')}`, ExitCode.usage);
  }
  // An empty file is no profiles; anything else that is not the expected mapping is a mistake to say, not to skip.
  if (parsed === null || parsed === undefined) return {};
  const checked = ProfileFileSchema.safeParse(parsed);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const at = issue.path.length ? issue.path.join('.') : '(file)';
    const expected = issue.path.length ? issue.message : 'a profile file is a mapping (current: and profiles:), see docs/cli.md';
    throw new CliError(`${file}: ${at}: ${expected}`, ExitCode.usage);
  }
  return checked.data;
}

/**
 * The admin key `npm start` keeps in its data folder (`KAIROS_DATA_DIR`,
 * default `.kairos`), when there is one: under the current folder, else
 * under the checkout this CLI runs from (where `npm start` ran), so the CLI
 * finds it from any folder.
 */
export function devAdminKey(io: Pick<CliIo, 'env' | 'cwd' | 'checkout'>): { key: string; file: string } | undefined {
  const dataDir = io.env.KAIROS_DATA_DIR || DEFAULT_DATA_DIR;
  const folders = io.checkout ? [io.cwd, io.checkout] : [io.cwd];
  const file = folders.map((dir) => path.resolve(dir, dataDir, 'dev-api-keys.json')).find((f) => existsSync(f));
  if (!file) return undefined;
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
 * http://127.0.0.1:3000. A URL on this machine found without a key also
 * takes that key; a URL elsewhere never does. A key found with a URL is
 * sent to that URL only (its origin and path), never to another one given
 * with `--url`. The URL is given back as parsed, without a `/` at its end:
 * what requests are sent to, blanks at its ends (a pasted CI variable) gone.
 */
export function resolveConnection(flags: { url?: string; apiKey?: string; profile?: string }, io: Pick<CliIo, 'env' | 'cwd' | 'home' | 'checkout'>): Connection {
  refuseEmptyTargets(flags, io.env);
  const file = profileFilePath(io);
  // --url with --api-key is a connection given in full: KAIROS_PROFILE (set for the shell, not this command) has no say.
  const named = flags.profile ?? (flags.url && flags.apiKey ? undefined : io.env.KAIROS_PROFILE);
  // Read only when it can decide something: with --url and --api-key, or KAIROS_URL, a broken file is not in the way.
  const fileDecides = named !== undefined || (!(flags.url && flags.apiKey) && !io.env.KAIROS_URL);
  const profiles = fileDecides ? readProfileFile(file, io.env.KAIROS_CONFIG) : undefined;
  let base: (Connection & { keyFrom: string }) | undefined;
  if (named) {
    const profile = profiles?.profiles?.[named];
    if (!profile) throw new CliError(`no profile "${named}" in ${file}`, ExitCode.usage);
    if (!profile.url) throw new CliError(`profile "${named}" in ${file} has no url`, ExitCode.usage);
    base = { url: profile.url, apiKey: profile.apiKey, from: `profile "${named}" (${file})`, keyFrom: `the apiKey of profile "${named}" (${file})` };
  } else if (io.env.KAIROS_URL) {
    base = { url: io.env.KAIROS_URL, apiKey: io.env.KAIROS_API_KEY, from: 'KAIROS_URL', keyFrom: 'KAIROS_API_KEY' };
  } else if (profiles?.current) {
    // A typo in `current` must not quietly send the command to the local development server instead.
    const p = profiles.profiles?.[profiles.current];
    if (!p) throw new CliError(`${file} names "${profiles.current}" as its current profile, but has no profile "${profiles.current}"`, ExitCode.usage);
    if (!p.url) throw new CliError(`profile "${profiles.current}" in ${file} has no url`, ExitCode.usage);
    base = { url: p.url, apiKey: p.apiKey, from: `profile "${profiles.current}" (${file})`, keyFrom: `the apiKey of profile "${profiles.current}" (${file})` };
  }
  if (!base) {
    const dev = devAdminKey(io);
    // The development key is added below, for a URL on this machine only.
    base = { url: 'http://127.0.0.1:3000', apiKey: io.env.KAIROS_API_KEY, from: dev ? dev.file : 'the default http://127.0.0.1:3000', keyFrom: 'KAIROS_API_KEY' };
  }
  const url = usableUrl(flags.url ?? base.url, flags.url !== undefined ? '--url' : base.from);
  // A local URL without a key (KAIROS_URL=http://127.0.0.1:3710 for an npm start on another port) takes the development
  // key too; a key of this machine's development server is never sent anywhere else.
  const dev = isLoopback(url) ? devAdminKey(io) : undefined;
  // A key found with a URL (a profile's, KAIROS_API_KEY beside KAIROS_URL) goes to that URL only: `--url` elsewhere
  // takes `--api-key`, a KAIROS_API_KEY set without KAIROS_URL, or on this machine the development key.
  const baseKey = flags.url === undefined || samePlace(flags.url, base.url) ? base.apiKey : undefined;
  const unpairedEnvKey = io.env.KAIROS_URL ? undefined : io.env.KAIROS_API_KEY;
  const keys: Array<[string | undefined, string]> = [
    [flags.apiKey, '--api-key'],
    [baseKey, base.keyFrom],
    [unpairedEnvKey, 'KAIROS_API_KEY'],
    [dev?.key, dev?.file ?? ''],
  ];
  // An empty --api-key or KAIROS_API_KEY was refused above; a profile's apiKey: "" is, where that profile is used.
  if (base.apiKey !== undefined && isBlank(base.apiKey)) throw emptySetting(base.keyFrom, '');
  const [apiKey, keyFrom] = keys.find(([key]) => key !== undefined) ?? [undefined, ''];
  if (apiKey !== undefined) refuseUnsendableKey(apiKey, keyFrom);
  return { url, apiKey, from: base.from };
}

/**
 * The URL as requests go to it: parsed (blanks at its ends dropped, as the
 * URL parser does), without a `/` at its end. One fetch cannot send to is
 * refused as the usage mistake it is (exit 2) before anything is sent; sent,
 * fetch's refusal read as Kairos being unreachable (exit 3, which CI
 * retries). `localhost:3000` parses as a URL of scheme `localhost:`; a user
 * name or password in it is refused by fetch, and printed back in its
 * message, into CI logs. Never echoed here. A query or fragment would stand
 * before every route added to the URL (`/?env=prod/v1/campaigns`).
 */
function usableUrl(url: string, from: string): string {
  const shown = withoutUserinfo(url);
  // Everything up to the last `@` is a login, whatever it holds: a password written unencoded (`ab/cd`, `p@ss#word`)
  // makes the parser fail, or take a piece of it for the host, so neither the text nor the parsed host is shown.
  const { scheme, userInfo, rest } = loginOf(url);
  if (userInfo) {
    throw new CliError(
      `the URL from ${from} (${scheme}${rest}) holds a user name or password, which the CLI never sends: remove them, and give the API key as KAIROS_API_KEY, a profile's apiKey or --api-key (an \`@\` in the URL's path is written %40)`,
      ExitCode.usage,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`not a URL: ${shown} (from ${from})`, ExitCode.usage);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    const example = url.includes('://') ? 'http://127.0.0.1:3000' : `http://${shown}`;
    throw new CliError(`${shown} (from ${from}) is not an http:// or https:// URL, which Kairos answers at: write it in full, e.g. ${example}`, ExitCode.usage);
  }
  const root = `${parsed.origin}${withoutEndSlash(parsed.pathname)}`;
  if (parsed.href.includes('?') || parsed.hash) {
    throw new CliError(`${shown} (from ${from}) has a query or fragment (? or #): Kairos's routes are added to the URL's path, so give the server's root, e.g. ${root}`, ExitCode.usage);
  }
  return root;
}

const withoutEndSlash = (pathname: string): string => pathname.replace(/\/+$/, '');

const URL_SCHEME = /^\s*[a-z][a-z0-9+.-]*:\/\//i;

/**
 * A URL's scheme (`https://`, or none), its login and the rest. The login is
 * everything up to the last `@` (as src/config/broker-addresses.ts reads a
 * broker's URL): a password is often written unencoded (`openssl rand
 * -base64` gives `/` and `+`), so a `/`, `?` or `#` before that `@` is still
 * taken as part of it. An `@` in a path is taken for a login too, which
 * only ever hides more of a message.
 */
export function loginOf(text: string): { scheme: string; userInfo: string; rest: string } {
  const scheme = URL_SCHEME.exec(text)?.[0] ?? '';
  const userInfo = text.slice(scheme.length, text.lastIndexOf('@') + 1);
  return { scheme, userInfo, rest: text.slice(scheme.length + userInfo.length) };
}

/**
 * A URL as messages show it: its login (everything up to the last `@`, with
 * or without a scheme) as `***@`. Kairos's URL and a proxy's are shown so: a
 * user name or password goes nowhere but where it is sent, whatever it holds.
 */
export function withoutUserinfo(text: string): string {
  const { scheme, userInfo, rest } = loginOf(text);
  return userInfo ? `${scheme}***@${rest}` : text;
}

/**
 * An API key no HTTP header can carry: a line break inside it, or a
 * character past U+00FF (a key pasted from a document or a chat, where a
 * quote became ’). fetch refuses it with a message read as "not Kairos"
 * (exit 3); here it is a usage error naming where the key came from and the
 * character, never the key. Kairos's API_KEYS takes any other character, so
 * nothing else is refused; whitespace at its ends is dropped by fetch.
 */
function refuseUnsendableKey(key: string, from: string): void {
  const chars = [...key.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '')];
  const at = chars.findIndex((c) => /[^\t\x20-\x7e\x80-\xff]/.test(c));
  if (at < 0) return;
  throw new CliError(
    `the API key from ${from} holds ${codePointName(chars[at])} at character ${at + 1}, which an HTTP header cannot carry (pasted from a document or a chat, where a quote or a dash became another?): set it again, copied as it was issued`,
    ExitCode.usage,
  );
}

/**
 * A setting that picks where commands go, set but empty (`--profile "$TARGET"`
 * with TARGET unset, a CI secret that came through blank), is a mistake to
 * say: skipping it would send the command to the next setting in line, which
 * may be the profile file's `current` production profile. So is an empty API
 * key: taken as set, it sent no key at all, in place of the profile's, and
 * Kairos's 401 then read as "no key set" (exit 3, as if Kairos were down).
 */
function refuseEmptyTargets(flags: { url?: string; apiKey?: string; profile?: string }, env: CliIo['env']): void {
  const settings: [string, string | undefined][] = [
    ['--url', flags.url],
    ['--api-key', flags.apiKey],
    ['--profile', flags.profile],
    ['KAIROS_URL', env.KAIROS_URL],
    ['KAIROS_API_KEY', env.KAIROS_API_KEY],
    ['KAIROS_PROFILE', env.KAIROS_PROFILE],
    ['KAIROS_CONFIG', env.KAIROS_CONFIG],
  ];
  for (const [name, value] of settings) {
    if (value !== undefined && isBlank(value)) throw emptySetting(name);
  }
}

const isBlank = (value: string): boolean => value.trim() === '';

/** `name` set but empty: a usage error; `why` guesses how (a flag or a variable from an unset shell variable). */
const emptySetting = (name: string, why = ' (an unset shell variable?)'): CliError =>
  new CliError(`${name} is set but empty${why}: give it a value, or leave it out to use the next setting (docs/cli.md, Connecting)`, ExitCode.usage);

/**
 * Whether two URLs are one Kairos: the same origin and the same path, so a
 * key stays with its server also where one gateway serves several under
 * path prefixes (`https://gw/kairos-prod`, `https://gw/kairos-staging`).
 */
function samePlace(a: string, b: string): boolean {
  try {
    const [first, second] = [new URL(a), new URL(b)];
    return first.origin === second.origin && withoutEndSlash(first.pathname) === withoutEndSlash(second.pathname);
  } catch {
    return false;
  }
}

/** Whether `url` names this machine: localhost, 127.0.0.0/8 or ::1. */
export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
