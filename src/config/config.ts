import { z } from 'zod';
import { TrustProxySetting, type TrustProxy } from './trust-proxy';
import { cronProblem, cronScheduleProblem } from '../domain/campaign/cron';
import { OutboundUrl } from '../domain/outbound-url';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { isIP } from 'node:net';
import { AllowedHostsList, type AllowedHost } from './allowed-hosts';
import { HOST_NAME } from './host-port';
import { checkProductionSecrets, checkSecretsApart, placeholderReason, type BootParts, type ListedApiKeys } from './production-rules';
import { DEFAULT_DATA_DIR } from './data-dir';
import { temporalEndpointFromEnv, type TemporalConnectionSettings } from './temporal-connection';
import { kairosPackageRoot } from './kairos-package';
import { natsServerProblem, rabbitmqUrlProblem } from './broker-addresses';
import { NO_NATS_LOGIN, natsLoginFrom, type NatsLogin } from './nats-login';

export type { AllowedHost } from './allowed-hosts';
export type { BootParts } from './production-rules';
export type { TemporalConnectionSettings } from './temporal-connection';
export type { NatsLogin } from './nats-login';

/**
 * Roles of API.md (grants in api/common/roles.ts): `ingest` is its own lane (POST /v1/events, PUT /v1/users/:id,
 * POST /v1/rewards/:id/redeem); `support` < `operator` < `admin`; `admin` may do everything.
 */
export const Role = z.enum(['ingest', 'support', 'operator', 'admin']);
export type Role = z.infer<typeof Role>;

const PORT_RANGE = 'expected a port number, 1 to 65535';
const port = z.coerce.number({ error: PORT_RANGE }).int({ error: PORT_RANGE }).min(1, { error: PORT_RANGE }).max(65535, { error: PORT_RANGE });
/** A retention window in days; 0 keeps rows forever. */
const days = z.coerce.number().int().min(0).max(36500);

/**
 * Serialized JSON bytes; at most 1 MiB so that one payload stays well under Temporal's 2 MiB blob limit. Caps whose
 * payloads travel together are checked together too (SizeCapsTogether).
 */
const sizeCap = z.coerce.number().int().min(1024).max(1024 * 1024);

/** MAX_BODY_BYTES's range: 64 KiB to 256 MiB (see the variable). */
const MIN_BODY_BYTES = 64 * 1024;
const MAX_BODY_BYTES_LIMIT = 256 * 1024 * 1024;

/**
 * What an HTTP header carries as written: visible ASCII. Node reads header bytes as latin1 while a key is compared
 * as UTF-8, and `fetch` refuses anything past latin1, so a key with other characters could never be presented.
 */
const HEADER_TEXT = /^[\x21-\x7e]+$/;

/**
 * `key:role,key:role` into a map, with each key's entry (ListedApiKeys); an empty or absent value means "generate
 * development keys". Problems name the entry's position, never the key: the message goes to logs.
 */
const ApiKeys = z
  .string()
  .optional()
  .transform((raw, ctx): ListedApiKeys | undefined => {
    if (!raw || !raw.trim()) return undefined;
    const keys = new Map<string, Role>();
    const listedAt = new Map<string, number>();
    for (const [i, pair] of raw.split(',').entries()) {
      const at = pair.lastIndexOf(':');
      const key = pair.slice(0, at).trim();
      const role = Role.safeParse(pair.slice(at + 1).trim());
      if (at <= 0 || !key || !role.success) {
        ctx.addIssue({ code: 'custom', message: `entry ${i + 1} must be key:role with role one of ${Role.options.join(', ')}` });
        continue;
      }
      if (!HEADER_TEXT.test(key)) {
        ctx.addIssue({ code: 'custom', message: `entry ${i + 1}: the key must be printable ASCII without spaces (it travels in an HTTP header); generate one (e.g. \`openssl rand -hex 24\`)` });
        continue;
      }
      // A copy-paste slip must not grant whichever role was listed last; the same key with the same role is harmless.
      const first = listedAt.get(key);
      if (first !== undefined && keys.get(key) !== role.data) {
        ctx.addIssue({ code: 'custom', message: `entries ${first} and ${i + 1} list the same key (as ${keys.get(key)} and ${role.data}); list each key once, with its one role` });
        continue;
      }
      if (first === undefined) listedAt.set(key, i + 1);
      keys.set(key, role.data);
    }
    // Each key's first entry: a key listed twice, or an entry refused above, leaves the map's order behind the variable's.
    return { roles: keys, entries: listedAt };
  });

/**
 * An IP address, or a host name (HOST_NAME). Whether a name resolves is learnt at listen, which names HOST
 * (listen-error.ts).
 */
const ListenHost = z.string().refine((host) => isIP(host) !== 0 || HOST_NAME.test(host), {
  message: 'must be an IP address (IPv6 without brackets, e.g. ::) or a host name of this machine',
});

/**
 * A signing secret: any string (its UTF-8 bytes are the key), or a Standard
 * Webhooks secret `whsec_<base64>` whose decoded bytes are the key, so
 * receivers can verify with any Standard Webhooks library as it is.
 */
/** The fewest key bytes a whsec_ secret may carry. */
const MIN_WHSEC_BYTES = 16;

export const WebhookSecret = z
  .string()
  .min(1)
  .refine((s) => !s.startsWith('whsec_') || (/^[A-Za-z0-9+/]+={0,2}$/.test(s.slice(6)) && s.slice(6).length % 4 === 0), {
    message: 'a whsec_ secret must be base64 after the prefix',
  })
  // The key is the decoded bytes: whsec_AAAAAAAAAAAA passes a length check on the text and holds 9.
  .refine((s) => !s.startsWith('whsec_') || Buffer.from(s.slice(6), 'base64').length >= MIN_WHSEC_BYTES, {
    message: `a whsec_ secret must hold at least ${MIN_WHSEC_BYTES} bytes after the prefix (Standard Webhooks: 24 to 64); e.g. echo "whsec_$(openssl rand -base64 32)"`,
  });

/** Where messages of a channel are POSTed, and the secret that signs them. */
export const MessageWebhook = z.object({ url: OutboundUrl, secret: WebhookSecret }).strict();
export const MessageWebhooks = z.partialRecord(z.enum(['push', 'sms', 'email', 'inapp']), MessageWebhook);
export type MessageWebhooks = z.infer<typeof MessageWebhooks>;

/** `{"push":{"url":"...","secret":"..."}}`; problems are reported at their path, e.g. `MESSAGE_WEBHOOKS.push.url`. */
const MessageWebhooksJson = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (!raw || !raw.trim()) return {};
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON such as {"push":{"url":"https://...","secret":"..."}}' });
      return z.NEVER;
    }
    const parsed = MessageWebhooks.safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path.map(String), message: issue.message });
      return z.NEVER;
    }
    return parsed.data;
  });

/**
 * METRICS_TOKEN: one token, or several comma-separated (spaces around the commas ignored), each 16 to 512 printable
 * ASCII characters and no placeholder. Opt-in, so never a default: a guessable one is refused wherever Kairos runs.
 * Problems of a list name the entry's position, never the token. Kept as the tokens joined by commas.
 */
const MetricsTokens = z.string().transform((raw, ctx) => {
  const tokens = raw.split(',').map((t) => t.trim());
  const at = (i: number) => (tokens.length > 1 ? `entry ${i + 1}: ` : '');
  for (const [i, token] of tokens.entries()) {
    const why = !token
      ? 'is empty; list tokens as token,token (e.g. the old and the new one while rotating), each `openssl rand -hex 24`'
      : token.length > 512
        ? 'is longer than 512 characters'
        : !HEADER_TEXT.test(token)
          ? 'must be printable ASCII without spaces (it travels in an Authorization header)'
          : placeholderReason(token);
    if (why) ctx.addIssue({ code: 'custom', message: `${at(i)}${why}` });
  }
  return tokens.join(',');
});

/** Five space-separated cron fields: the shape RETENTION_CRON must have before it is parsed. */
const FIVE_FIELDS = /^\S+( \S+){4}$/;

/** Every environment variable Kairos reads, with its default. docs/operations.md's table (Configuration) mirrors this. */
export const ConfigSchema = z.object({
  PORT: port.default(3000),
  HOST: ListenHost.default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  // A query PostgreSQL has not answered in this long is stopped: a runaway one (a lock held elsewhere, an analytics
  // read over years of logs) no longer holds a pooled connection, and a request waiting on it, indefinitely. 0: never.
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('kairos-journeys'),
  TEMPORAL_CLI: z.string().optional(),
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_UI_URL: z.string().url().optional(),
  KAIROS_DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
  // `npm start`'s embedded PostgreSQL (when no other answers): a second checkout's needs a port of its own.
  EMBEDDED_POSTGRES_PORT: port.default(54329),
  KAIROS_CACHE_DIR: z.string().optional(),
  KAIROS_TEMPLATES_DIR: z.string().optional(),
  API_KEYS: ApiKeys,
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  // 64 KiB to 256 MiB: at least the largest size cap as well (BodyHoldsEachPart); a body past V8's longest string (about
  // 512 MiB, ERR_STRING_TOO_LONG) would throw inside Fastify's body parser, where nothing catches it.
  MAX_BODY_BYTES: z.coerce.number().int().min(MIN_BODY_BYTES).max(MAX_BODY_BYTES_LIMIT).default(5 * 1024 * 1024),
  // Fastify waits for a request body forever by default: a client trickling one in would hold its connection and socket.
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
  TRUST_PROXY: TrustProxySetting,
  // Each stays well under Temporal's 2 MiB payload limit: an event's properties travel in its signal. A journey's
  // start returns a plan and a profile in one activity result, so those two caps are bounded together (SizeCapsTogether).
  MAX_EVENT_PROPERTIES_BYTES: sizeCap.default(256 * 1024),
  MAX_PROFILE_ATTRIBUTES_BYTES: sizeCap.default(256 * 1024),
  MAX_CAMPAIGN_BYTES: sizeCap.default(512 * 1024),
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /**
   * When set, the API's and the worker's /metrics answer only `Authorization: Bearer <token>`. Several tokens,
   * comma-separated, each pass: the old and the new one while a token is rotated (docs/operations.md).
   */
  METRICS_TOKEN: MetricsTokens.optional(),
  WORKER_MAX_CACHED_JOURNEYS: z.coerce.number().int().min(2).optional(),
  MESSAGE_WEBHOOKS: MessageWebhooksJson,
  WEBHOOK_SECRET: WebhookSecret.optional(),
  /** `allow`: outside `npm start`, boot without WEBHOOK_SECRET and send webhook actions unsigned. */
  WEBHOOK_UNSIGNED: z.literal('allow').optional(),
  WEBHOOK_ALLOWED_HOSTS: AllowedHostsList,
  RETENTION_DELIVERIES_DAYS: days.default(30),
  RETENTION_EVENTS_DAYS: days.default(90),
  RETENTION_MESSAGES_DAYS: days.default(180),
  RETENTION_JOURNEY_LOG_DAYS: days.default(400),
  RETENTION_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  RETENTION_CRON: z
    .string()
    .regex(FIVE_FIELDS, 'must be a five-field cron expression such as "17 3 * * *"')
    // Checked as entry.cron is (it runs as a Temporal schedule too): "99 99 * * *" used to pass here and stop the worker later, unnamed.
    .superRefine((cron, ctx) => {
      if (!FIVE_FIELDS.test(cron)) return; // said by the regex above
      const problem = cronProblem(cron) ?? cronScheduleProblem(cron);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .default('17 3 * * *'),
  // Checked as TEMPORAL_ADDRESS is: a host or port no client could dial would otherwise boot, and every source would
  // then stay `connecting` with the client's own words ("Invalid URL"), which name no variable.
  RABBITMQ_URL: z
    .string()
    .regex(/^amqps?:\/\//, 'an amqp:// or amqps:// URL')
    .superRefine((url, ctx) => {
      const problem = rabbitmqUrlProblem(url);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .default('amqp://guest:guest@127.0.0.1:5672'),
  NATS_SERVERS: z
    .string()
    .default('127.0.0.1:4222')
    .transform((raw, ctx) => {
      const entries = raw.split(',').map((s) => s.trim());
      for (const [i, entry] of entries.entries()) {
        const problem = entry ? natsServerProblem(entry) : null;
        if (problem) ctx.addIssue({ code: 'custom', message: `entry ${i + 1}: ${problem}` });
      }
      return entries.filter(Boolean);
    }),
  // How every NATS connection Kairos opens (the API's) logs in: one way at most (NatsLoginTogether, natsLoginFor); never in NATS_SERVERS.
  NATS_USER: z.string().optional(),
  NATS_PASSWORD: z.string().optional(),
  NATS_TOKEN: z.string().optional(),
  /** A .creds file (a user JWT and its nkey seed, `nsc generate creds`), read at boot. */
  NATS_CREDS_FILE: z.string().optional(),
});

/** Days each kind of row is kept (0: forever; docs/operations.md, Retention), rows per prune batch, and when a pass starts (cron, UTC). */
export interface RetentionSettings {
  deliveriesDays: number;
  eventsDays: number;
  /** Messages and webhook calls. */
  messagesDays: number;
  journeyLogDays: number;
  batchSize: number;
  cron: string;
}

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  /** PostgreSQL's statement_timeout on every pooled connection (ms); 0: none. */
  statementTimeoutMs: number;
  temporal: {
    address?: string;
    namespace: string;
    taskQueue: string;
    cliPath?: string;
    devPort: number;
    uiPort: number;
    uiUrl?: string;
    /** TLS, API key and gRPC headers for a given cluster (TEMPORAL_TLS_*, TEMPORAL_API_KEY, a TOML profile); not used towards the own dev server. */
    connection: TemporalConnectionSettings;
  };
  dataDir: string;
  /** Port of `npm start`'s embedded PostgreSQL. */
  embeddedPostgresPort: number;
  cacheDir?: string;
  /** The campaign templates folder (KAIROS_TEMPLATES_DIR), read at boot; default the package's examples/templates. */
  templatesDir: string;
  apiKeys?: Map<string, Role>;
  logLevel: z.infer<typeof ConfigSchema>['LOG_LEVEL'];
  maxBodyBytes: number;
  /** How long a whole request (headers and body) may take to arrive before a 408. */
  requestTimeoutMs: number;
  /** Whom to believe about the client's address (TRUST_PROXY). */
  trustProxy: TrustProxy;
  /** Caps on serialized JSON (bytes), answered with 413 and the path. */
  sizeCaps: SizeCaps;
  /** Prometheus endpoint of the worker's SDK runtime; 0 turns it off. */
  workerMetricsPort: number;
  /**
   * Required as a bearer token by /metrics (API and worker) when set; unset, /metrics is open as API.md says. One
   * token or several joined by commas, any of which passes (metricsAuthorized).
   */
  metricsToken?: string;
  /** Journeys a worker keeps in memory between their tasks; unset: sized from the heap limit (src/temporal/worker.ts). */
  workerMaxCachedJourneys?: number;
  /** Channel → webhook that delivers its messages; channels without one keep their messages stored (table messages). */
  messageWebhooks: MessageWebhooks;
  /** Signs webhook actions (X-Kairos-Signature and Standard Webhooks); unset: they go unsigned. */
  webhookSecret?: string;
  /** Hosts (optionally host:port) that campaign webhook steps may reach even at loopback or private addresses (a channel's own gateway needs no entry). */
  webhookAllowedHosts: AllowedHost[];
  retention: RetentionSettings;
  /** The brokers event sources read from (a source names its queue or stream; the connection is configuration). */
  brokers: {
    rabbitmqUrl: string;
    natsServers: string[];
    /** How NATS connections log in (NATS_USER and NATS_PASSWORD, NATS_TOKEN or NATS_CREDS_FILE); the secret stays inside it. Read by a process that runs the API only: a worker-only one gets NO_NATS_LOGIN. */
    natsLogin: NatsLogin;
  };
}

export interface SizeCaps {
  eventPropertiesBytes: number;
  profileAttributesBytes: number;
  campaignBytes: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Each channel's secret apart from WEBHOOK_SECRET (checkSecretsApart). A gateway's address is not checked at boot:
 * the gateway is the operator's own, and its messages reach it wherever it is (message-activities.ts); campaign
 * webhook steps to it stay bound by WEBHOOK_ALLOWED_HOSTS.
 */
const SigningSecretsApart = ConfigSchema.pick({ MESSAGE_WEBHOOKS: true, WEBHOOK_SECRET: true }).superRefine((c, ctx) => checkSecretsApart(c, ctx));

/** The most a campaign's plan and a user's profile may weigh together: one activity result, under Temporal's 2 MiB, with room for the rest. */
export const MAX_PLAN_AND_PROFILE_BYTES = 1.5 * 1024 * 1024;

/**
 * MAX_CAMPAIGN_BYTES and MAX_PROFILE_ATTRIBUTES_BYTES together: a journey's start (loadJourneyStart) returns the
 * campaign's plan and the user's profile in one activity result, so at both maxima (1 MiB each) it would pass
 * Temporal's 2 MiB blob limit and the journey could not start, for that user only.
 */
const SizeCapsTogether = ConfigSchema.pick({ MAX_CAMPAIGN_BYTES: true, MAX_PROFILE_ATTRIBUTES_BYTES: true }).superRefine((c, ctx) => {
  // A cap past its own range is said by its own check (zod runs this refinement all the same).
  if (![c.MAX_CAMPAIGN_BYTES, c.MAX_PROFILE_ATTRIBUTES_BYTES].every((cap) => Number.isInteger(cap) && cap >= 1024 && cap <= 1024 * 1024)) return;
  const sum = c.MAX_CAMPAIGN_BYTES + c.MAX_PROFILE_ATTRIBUTES_BYTES;
  if (sum <= MAX_PLAN_AND_PROFILE_BYTES) return;
  ctx.addIssue({
    code: 'custom',
    path: ['MAX_CAMPAIGN_BYTES'],
    message:
      `with MAX_PROFILE_ATTRIBUTES_BYTES, at most ${MAX_PLAN_AND_PROFILE_BYTES} bytes (1.5 MiB) together; got ${c.MAX_CAMPAIGN_BYTES} + ${c.MAX_PROFILE_ATTRIBUTES_BYTES} = ${sum}. ` +
      "A journey's start carries the campaign's plan and the user's profile in one Temporal payload (2 MiB at most): lower one or both",
  });
});

/**
 * MAX_BODY_BYTES holds the largest size cap: a campaign, a user's attributes or an event's properties under its own
 * cap must reach the route that weighs it, so that a larger one is told its path (`events[2].properties`); a body
 * limit below a cap answers Fastify's 413 first, which names neither.
 */
const BodyHoldsEachPart = ConfigSchema.pick({
  MAX_BODY_BYTES: true,
  MAX_EVENT_PROPERTIES_BYTES: true,
  MAX_PROFILE_ATTRIBUTES_BYTES: true,
  MAX_CAMPAIGN_BYTES: true,
}).superRefine((c, ctx) => {
  const caps = [
    ['MAX_CAMPAIGN_BYTES', c.MAX_CAMPAIGN_BYTES],
    ['MAX_EVENT_PROPERTIES_BYTES', c.MAX_EVENT_PROPERTIES_BYTES],
    ['MAX_PROFILE_ATTRIBUTES_BYTES', c.MAX_PROFILE_ATTRIBUTES_BYTES],
  ] as const;
  // A value past its own range is said by its own check (zod runs this refinement all the same).
  if (![c.MAX_BODY_BYTES, ...caps.map(([, cap]) => cap)].every((n) => Number.isInteger(n))) return;
  if (c.MAX_BODY_BYTES < MIN_BODY_BYTES || c.MAX_BODY_BYTES > MAX_BODY_BYTES_LIMIT) return;
  const [name, largest] = caps.reduce((a, b) => (b[1] > a[1] ? b : a));
  if (c.MAX_BODY_BYTES >= largest) return;
  ctx.addIssue({
    code: 'custom',
    path: ['MAX_BODY_BYTES'],
    message:
      `${c.MAX_BODY_BYTES} is less than ${name} (${largest}): a request within ${name} would be refused by the body limit, ` +
      `with a 413 that names neither its path nor its cap. Raise MAX_BODY_BYTES to at least ${largest} (with room for the rest of the request), or lower ${name}`,
  });
});

/**
 * The NATS login variables together: one way at most, a user with its
 * password, a creds file read and checked (natsLoginFrom). Problems name the
 * variable, never its value.
 */
const NatsLoginTogether = ConfigSchema.pick({ NATS_USER: true, NATS_PASSWORD: true, NATS_TOKEN: true, NATS_CREDS_FILE: true }).transform((c, ctx) => {
  const { login, problems } = natsLoginFrom(c);
  for (const p of problems) ctx.addIssue({ code: 'custom', path: [p.variable], message: p.message });
  return login ?? z.NEVER;
});

/** The secrets, checked on their own: a bad PORT must not hide a placeholder API key until it is fixed. */
const Secrets = ConfigSchema.pick({ API_KEYS: true, WEBHOOK_SECRET: true, WEBHOOK_UNSIGNED: true, MESSAGE_WEBHOOKS: true });

const problemLines = (error: z.ZodError | undefined) => (error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

/** What a process that runs `parts` needs outside `npm start`: no default or placeholder secrets. */
function secretProblems(env: Record<string, string>, parts: BootParts): string[] {
  return problemLines(Secrets.superRefine((c, ctx) => checkProductionSecrets(parts, c, ctx)).safeParse(env).error);
}

/**
 * The NATS login a process that runs `parts` logs in with. Only the API opens
 * NATS connections (`nats` sources and their dead letters), so a worker-only
 * process neither checks these variables nor reads NATS_CREDS_FILE: an
 * environment shared with the API (a Secret through `envFrom`, an
 * EnvironmentFile) must not stop a worker that has no creds file mounted.
 * Without `parts` (tests, tools) they are checked, as for the API.
 */
function natsLoginFor(env: Record<string, string>, parts: BootParts | undefined): { login?: NatsLogin; problems: string[] } {
  if (parts && !parts.api) return { login: NO_NATS_LOGIN, problems: [] };
  const parsed = NatsLoginTogether.safeParse(env);
  return parsed.success ? { login: parsed.data, problems: [] } : { problems: problemLines(parsed.error) };
}

/**
 * Parses the environment once, at boot. Nothing else in Kairos reads
 * process.env. `parts`: what the process runs (the entry points pass it);
 * without it only the values themselves are checked (tests, tools).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, parts?: BootParts): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
  const parsed = ConfigSchema.safeParse(cleaned);
  const temporal = temporalEndpointFromEnv(cleaned);
  const natsLogin = natsLoginFor(cleaned, parts);
  // Every problem at once, one line each (a secret's own shape problem is found by both parses).
  const problems = [
    ...new Set([
      ...problemLines(parsed.error),
      ...(parts ? secretProblems(cleaned, parts) : []),
      ...problemLines(SigningSecretsApart.safeParse(cleaned).error),
      ...problemLines(SizeCapsTogether.safeParse(cleaned).error),
      ...problemLines(BodyHoldsEachPart.safeParse(cleaned).error),
      ...temporal.problems,
      ...natsLogin.problems,
    ]),
  ];
  if (!parsed.success || !temporal.settings || !natsLogin.login || problems.length > 0) throw new ConfigError(problems);
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    statementTimeoutMs: c.DATABASE_STATEMENT_TIMEOUT_MS,
    temporal: {
      // The variables, else the TOML profile (TEMPORAL_CONFIG_FILE) they override.
      address: temporal.settings.address ?? c.TEMPORAL_ADDRESS,
      namespace: temporal.settings.namespace ?? c.TEMPORAL_NAMESPACE,
      taskQueue: c.TEMPORAL_TASK_QUEUE,
      cliPath: c.TEMPORAL_CLI,
      devPort: c.TEMPORAL_DEV_PORT,
      uiPort: c.TEMPORAL_UI_PORT,
      uiUrl: c.TEMPORAL_UI_URL,
      connection: temporal.settings.connection,
    },
    dataDir: path.resolve(c.KAIROS_DATA_DIR),
    embeddedPostgresPort: c.EMBEDDED_POSTGRES_PORT,
    cacheDir: c.KAIROS_CACHE_DIR,
    templatesDir: c.KAIROS_TEMPLATES_DIR ? path.resolve(c.KAIROS_TEMPLATES_DIR) : path.join(kairosPackageRoot(), 'examples', 'templates'),
    apiKeys: c.API_KEYS?.roles,
    logLevel: c.LOG_LEVEL,
    maxBodyBytes: c.MAX_BODY_BYTES,
    requestTimeoutMs: c.REQUEST_TIMEOUT_MS,
    trustProxy: c.TRUST_PROXY,
    sizeCaps: { eventPropertiesBytes: c.MAX_EVENT_PROPERTIES_BYTES, profileAttributesBytes: c.MAX_PROFILE_ATTRIBUTES_BYTES, campaignBytes: c.MAX_CAMPAIGN_BYTES },
    workerMetricsPort: c.WORKER_METRICS_PORT,
    metricsToken: c.METRICS_TOKEN,
    workerMaxCachedJourneys: c.WORKER_MAX_CACHED_JOURNEYS,
    messageWebhooks: c.MESSAGE_WEBHOOKS,
    webhookSecret: c.WEBHOOK_SECRET,
    webhookAllowedHosts: c.WEBHOOK_ALLOWED_HOSTS,
    retention: {
      deliveriesDays: c.RETENTION_DELIVERIES_DAYS,
      eventsDays: c.RETENTION_EVENTS_DAYS,
      messagesDays: c.RETENTION_MESSAGES_DAYS,
      journeyLogDays: c.RETENTION_JOURNEY_LOG_DAYS,
      batchSize: c.RETENTION_BATCH_SIZE,
      cron: c.RETENTION_CRON,
    },
    brokers: { rabbitmqUrl: c.RABBITMQ_URL, natsServers: c.NATS_SERVERS, natsLogin: natsLogin.login },
  };
}

/** One random key per role, for `npm start` without API_KEYS. */
export function generateDevKeys(): Map<string, Role> {
  return new Map(Role.options.map((role) => [`dev-${role}-${randomBytes(12).toString('hex')}`, role] as const));
}
