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
 * The one pino logger of a process: Nest, Fastify's request lines, the
 * Temporal runtime (worker, workflows, activities) all write through it, so
 * LOG_LEVEL governs everything. JSON for machines; pretty on a terminal.
 */
export function createLogger(level: string, opts: LoggerOptions = {}): Logger {
  const name = opts.name ?? 'kairos';
  const options = { name, level, base: { service: name } };
  if (opts.destination) return pino(options, opts.destination);
  if (opts.pretty ?? process.stdout.isTTY) {
    // In-process (not a transport thread): one thread fewer on a laptop, and lines keep their order with the banner.
    return pino(options, prettyStream({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' }));
  }
  return pino(options);
}
export type { Logger };
