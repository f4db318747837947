import { z } from 'zod';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** Roles of API.md, weakest first; a role may do everything the ones before it may. */
export const Role = z.enum(['ingest', 'support', 'operator', 'admin']);
export type Role = z.infer<typeof Role>;

const port = z.coerce.number().int().min(1).max(65535);

/** `key:role,key:role` into a map; an empty or absent value means "generate development keys". */
const ApiKeys = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (!raw || !raw.trim()) return undefined;
    const keys = new Map<string, Role>();
    for (const [i, pair] of raw.split(',').entries()) {
      const at = pair.lastIndexOf(':');
      const key = pair.slice(0, at).trim();
      const role = Role.safeParse(pair.slice(at + 1).trim());
      if (at <= 0 || !key || !role.success) {
        ctx.addIssue({ code: 'custom', message: `entry ${i + 1} must be key:role with role one of ${Role.options.join(', ')}` });
        continue;
      }
      keys.set(key, role.data);
    }
    return keys;
  });

/** Where messages of a channel are POSTed, and the secret that signs them. */
export const MessageWebhook = z.object({ url: z.url({ protocol: /^https?$/ }), secret: z.string().min(1) }).strict();
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

/** Every environment variable Kairos reads, with its default. README's table mirrors this. */
export const ConfigSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('kairos-journeys'),
  TEMPORAL_CLI: z.string().optional(),
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_UI_URL: z.string().url().optional(),
  KAIROS_DATA_DIR: z.string().default('.kairos'),
  KAIROS_CACHE_DIR: z.string().optional(),
  API_KEYS: ApiKeys,
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  WORKER_MAX_CACHED_JOURNEYS: z.coerce.number().int().min(2).optional(),
  MESSAGE_WEBHOOKS: MessageWebhooksJson,
  WEBHOOK_SECRET: z.string().min(1).optional(),
  RABBITMQ_URL: z.string().regex(/^amqps?:\/\//, 'an amqp:// or amqps:// URL').default('amqp://guest:guest@127.0.0.1:5672'),
  NATS_SERVERS: z
    .string()
    .default('127.0.0.1:4222')
    .transform((raw) => raw.split(',').map((s) => s.trim()).filter(Boolean)),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  temporal: {
    address?: string;
    namespace: string;
    taskQueue: string;
    cliPath?: string;
    devPort: number;
    uiPort: number;
    uiUrl?: string;
  };
  dataDir: string;
  cacheDir?: string;
  apiKeys?: Map<string, Role>;
  logLevel: z.infer<typeof ConfigSchema>['LOG_LEVEL'];
  maxBodyBytes: number;
  /** Prometheus endpoint of the worker's SDK runtime; 0 turns it off. */
  workerMetricsPort: number;
  /** Journeys a worker keeps in memory between their tasks; unset: sized from the heap limit (src/temporal/worker.ts). */
  workerMaxCachedJourneys?: number;
  /** Channel → webhook that delivers its messages; channels without one keep messages in the outbox. */
  messageWebhooks: MessageWebhooks;
  /** Signs webhook actions (X-Kairos-Signature); unset: they go unsigned. */
  webhookSecret?: string;
  /** The brokers event sources read from (a source names its queue or stream; the connection is configuration). */
  brokers: { rabbitmqUrl: string; natsServers: string[] };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment once, at boot. Nothing else in Kairos reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    temporal: {
      address: c.TEMPORAL_ADDRESS,
      namespace: c.TEMPORAL_NAMESPACE,
      taskQueue: c.TEMPORAL_TASK_QUEUE,
      cliPath: c.TEMPORAL_CLI,
      devPort: c.TEMPORAL_DEV_PORT,
      uiPort: c.TEMPORAL_UI_PORT,
      uiUrl: c.TEMPORAL_UI_URL,
    },
    dataDir: path.resolve(c.KAIROS_DATA_DIR),
    cacheDir: c.KAIROS_CACHE_DIR,
    apiKeys: c.API_KEYS,
    logLevel: c.LOG_LEVEL,
    maxBodyBytes: c.MAX_BODY_BYTES,
    workerMetricsPort: c.WORKER_METRICS_PORT,
    workerMaxCachedJourneys: c.WORKER_MAX_CACHED_JOURNEYS,
    messageWebhooks: c.MESSAGE_WEBHOOKS,
    webhookSecret: c.WEBHOOK_SECRET,
    brokers: { rabbitmqUrl: c.RABBITMQ_URL, natsServers: c.NATS_SERVERS },
  };
}

/** One random key per role, for `npm start` without API_KEYS. */
export function generateDevKeys(): Map<string, Role> {
  return new Map(Role.options.map((role) => [`dev-${role}-${randomBytes(12).toString('hex')}`, role] as const));
}
