import type { z } from 'zod';
import type { Role } from './config';

/** Which parts a process runs, and whether it brings its own dev stack (`npm start`). */
export interface BootParts {
  api: boolean;
  worker: boolean;
  /** `npm start`: dev server, local or embedded PostgreSQL, generated keys. */
  embedded: boolean;
}

/** Secrets shorter than this are refused outside the dev stack: they can be guessed. */
export const MIN_SECRET_LENGTH = 16;

/** Words that mark a value copied from docs, examples or an old compose file rather than generated. */
const PLACEHOLDER_PARTS = ['changeme', 'replaceme', 'placeholder', 'yourkey', 'yoursecret', 'example', 'insert', 'redacted'];
const PLACEHOLDER_VALUES = ['secret', 'password', 'apikey', 'key', 'token', 'test', 'default', 'kairos', 'admin', 'ingest', 'support', 'operator', 'whsec'];
/** One of those words, or several in a row (`secret-secret-secret`, `admin-key`), and a number perhaps: long enough, still guessed. */
const PLACEHOLDER_WORDS = new RegExp(`^(${PLACEHOLDER_VALUES.join('|')})+[0-9]*$`);

/** Why `value` cannot be a production secret, or undefined when it can. */
export function placeholderReason(value: string): string | undefined {
  const normalized = value.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (PLACEHOLDER_WORDS.test(normalized) || PLACEHOLDER_PARTS.some((p) => normalized.includes(p)) || /^(.)\1*$/.test(normalized)) {
    return 'is a placeholder from docs or examples; generate a random one (e.g. `openssl rand -hex 24`)';
  }
  // A whsec_ secret's key is its decoded bytes: the prefix hides that whsec_AAAA… is a key of zeros.
  if (isOneByteRepeated(whsecKey(value))) {
    return 'is a placeholder: its key (the bytes after whsec_) is one byte repeated, such as all zeros; generate one (e.g. echo "whsec_$(openssl rand -base64 32)")';
  }
  if (value.length < MIN_SECRET_LENGTH) return `is shorter than ${MIN_SECRET_LENGTH} characters; generate a random one (e.g. \`openssl rand -hex 24\`)`;
  return undefined;
}

/** The key of a Standard Webhooks secret (`whsec_<base64>`): its decoded bytes; undefined for any other value. */
function whsecKey(value: string): Buffer | undefined {
  return value.startsWith('whsec_') ? Buffer.from(value.slice('whsec_'.length), 'base64') : undefined;
}

function isOneByteRepeated(bytes: Buffer | undefined): boolean {
  return bytes !== undefined && bytes.length > 0 && bytes.every((b) => b === bytes[0]);
}

/** API_KEYS as parsed: each key's role, and the entry (1-based, in the variable as written) it is first listed at. */
export interface ListedApiKeys {
  roles: Map<string, Role>;
  entries: Map<string, number>;
}

interface ParsedSecrets {
  API_KEYS?: ListedApiKeys;
  WEBHOOK_SECRET?: string;
  WEBHOOK_UNSIGNED?: 'allow';
  MESSAGE_WEBHOOKS: Partial<Record<string, { secret: string }>>;
}

const OUTSIDE = 'when Kairos does not run its own dev stack (`npm run api`, `npm run worker`, the image)';

/**
 * Outside `npm start` nothing may fall back to a default secret: the API
 * needs explicit, non-placeholder API_KEYS; the worker signs what it sends
 * unless WEBHOOK_UNSIGNED=allow says unsigned webhooks are intended.
 */
export function checkProductionSecrets(parts: BootParts, c: ParsedSecrets, ctx: z.RefinementCtx): void {
  if (parts.embedded) return;
  const issue = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (parts.api) {
    if (!c.API_KEYS || c.API_KEYS.roles.size === 0) {
      issue(['API_KEYS'], `is required ${OUTSIDE}: set API_KEYS=key:role,key:role with generated keys (see .env.example)`);
    }
    // Named by its place in the variable, so the operator replaces the entry that is wrong (not by its place among distinct keys).
    for (const [key, entry] of c.API_KEYS?.entries ?? []) {
      const reason = placeholderReason(key);
      if (reason) issue(['API_KEYS'], `entry ${entry}: the key ${reason}`);
    }
  }
  if (parts.worker) {
    if (c.WEBHOOK_SECRET === undefined && c.WEBHOOK_UNSIGNED !== 'allow') {
      issue(['WEBHOOK_SECRET'], `is required ${OUTSIDE}: set it (e.g. whsec_ and 32 random bytes in base64), or WEBHOOK_UNSIGNED=allow to send webhook actions unsigned`);
    }
    const reason = c.WEBHOOK_SECRET === undefined ? undefined : placeholderReason(c.WEBHOOK_SECRET);
    if (reason) issue(['WEBHOOK_SECRET'], reason);
    for (const [channel, hook] of Object.entries(c.MESSAGE_WEBHOOKS)) {
      const hookReason = hook && placeholderReason(hook.secret);
      if (hookReason) issue(['MESSAGE_WEBHOOKS', channel, 'secret'], hookReason);
    }
  }
}

/** The key a secret signs `webhook-signature` with (standard-webhooks.ts signer): a whsec_ secret's bytes, any other's UTF-8. */
function standardWebhooksKey(secret: string): Buffer {
  return whsecKey(secret) ?? Buffer.from(secret, 'utf8');
}

/**
 * A channel's secret must not sign as WEBHOOK_SECRET does: a campaign's webhook step is signed with WEBHOOK_SECRET,
 * so a step POSTing a message-shaped body to the gateway would carry valid signatures for any user and content.
 * Same text (both headers), or the same Standard Webhooks key written two ways (`whsec_<base64 of s>` and `s`).
 * Checked wherever Kairos runs, `npm start` included, and whatever the process runs: the two are never meant to
 * be one, and an .env is shared by the API and the worker.
 */
export function checkSecretsApart(c: { WEBHOOK_SECRET?: unknown; MESSAGE_WEBHOOKS?: unknown }, ctx: z.RefinementCtx): void {
  const shared = c.WEBHOOK_SECRET;
  if (typeof shared !== 'string' || !c.MESSAGE_WEBHOOKS || typeof c.MESSAGE_WEBHOOKS !== 'object') return;
  for (const [channel, hook] of Object.entries(c.MESSAGE_WEBHOOKS as Record<string, { secret?: unknown } | undefined>)) {
    const secret = hook?.secret;
    if (typeof secret !== 'string') continue;
    const same = secret === shared ? 'is the same as WEBHOOK_SECRET' : standardWebhooksKey(secret).equals(standardWebhooksKey(shared)) ? 'has the same key as WEBHOOK_SECRET' : undefined;
    if (!same) continue;
    ctx.addIssue({
      code: 'custom',
      path: ['MESSAGE_WEBHOOKS', channel, 'secret'],
      message: `${same}; a campaign webhook step (signed with WEBHOOK_SECRET) could then sign messages for this channel; generate one of its own (e.g. echo "whsec_$(openssl rand -base64 32)")`,
    });
  }
}
