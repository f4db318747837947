import pino, { type DestinationStream, type Logger } from 'pino';
import { build as prettyStream } from 'pino-pretty';

export interface LoggerOptions {
  name?: string;
  /** Where lines go; default stdout. Tests pass a stream to read them. */
  destination?: DestinationStream;
  /** Human-readable lines (pino-pretty); default: when stdout is a terminal. */
  pretty?: boolean;
}

/**
 * Fields of an error that carry the data a statement was about rather than what went wrong: TypeORM's
 * `QueryFailedError` holds the statement (`query`), its bound values (`parameters`) and pg's own error
 * (`driverError`), and copies pg's fields onto itself: `detail` (`Key (code)=(SAVE-8F3K) already exists`),
 * `where` and `internalQuery` (PL/pgSQL context and statements, with values). Logs are read more widely and kept
 * longer than the database, and retention never reaches them: these never go there. What is kept: the message,
 * the SQLSTATE (`code`), `table`, `constraint`, `column`, `schema`, the stack.
 */
const DATA_FIELDS = ['parameters', 'query', 'detail', 'driverError', 'where', 'internalQuery'] as const;

/**
 * pino's error serializer, without DATA_FIELDS, at any depth: nested errors
 * (pino serializes those as it does the top one), and errors that pino keeps
 * as they are, inside an array or a plain object on an error.
 */
export function errSerializer(err: unknown): unknown {
  const serialized: unknown = pino.stdSerializers.err(err as Error);
  if (serialized === err) return err; // not error-like: pino leaves it as it is
  return withoutData(serialized, Object.getPrototypeOf(serialized) as object, new Set());
}

/** An Error, or what passes for one (an error from another realm, such as the workflow sandbox): a message and a stack. */
export function isErrorLike(value: unknown): value is Error {
  if (value instanceof Error) return true;
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { message?: unknown; stack?: unknown };
  return typeof v.message === 'string' && typeof v.stack === 'string';
}

function withoutData(value: unknown, errorProto: object, seen: Set<object>): unknown {
  if (typeof value !== 'object' || value === null || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => withoutData(v, errorProto, seen));
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === errorProto) {
    const fields = value as Record<string, unknown>;
    for (const key of DATA_FIELDS) delete fields[key];
    for (const key of Object.keys(fields)) fields[key] = withoutData(fields[key], errorProto, seen);
    return fields;
  }
  // An error pino kept raw (it serializes errors only where an error's own field holds one): its JSON would carry them all.
  if (isErrorLike(value)) return errSerializer(value);
  // A plain object (details, failures by key) may hold errors: copied, never changed in place.
  if (proto === Object.prototype || proto === null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutData(v, errorProto, seen)]));
  }
  return value;
}

/**
 * The one pino logger of a process: Nest, Fastify's request lines, the
 * Temporal runtime (worker, workflows, activities) all write through it, so
 * LOG_LEVEL governs everything. JSON for machines; pretty on a terminal.
 * Errors are logged by errSerializer (Fastify's request loggers are its
 * children and keep it; runtime-logger.ts uses it for the SDK's errors).
 */
export function createLogger(level: string, opts: LoggerOptions = {}): Logger {
  const name = opts.name ?? 'kairos';
  const options = { name, level, base: { service: name }, serializers: { err: errSerializer } };
  if (opts.destination) return pino(options, opts.destination);
  if (opts.pretty ?? process.stdout.isTTY) {
    // In-process (not a transport thread): one thread fewer on a laptop, and lines keep their order with the banner.
    return pino(options, prettyStream({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' }));
  }
  return pino(options);
}
export type { Logger };
