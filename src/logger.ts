import pino, { type Logger } from 'pino';

/** pino: structured JSON logs, fast, the common choice for Node services. */
export function createLogger(level: string, name = 'kairos'): Logger {
  return pino({ name, level, base: { service: name } });
}
export type { Logger };
