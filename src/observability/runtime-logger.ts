import type { Logger as SdkLogger } from '@temporalio/common';
import type { Logger } from 'pino';
import { errSerializer, isErrorLike } from '../logger';

/**
 * The Temporal runtime's logger on the process's pino logger: the worker,
 * workflow (`log` from @temporalio/workflow) and activity log lines all end
 * in the same stream as the API's, at the same LOG_LEVEL.
 */
export function runtimeLogger(log: Logger): SdkLogger {
  return {
    log: (level, message, meta) => log[level === 'TRACE' ? 'trace' : level === 'DEBUG' ? 'debug' : level === 'WARN' ? 'warn' : level === 'ERROR' ? 'error' : 'info'](loggable(meta), message),
    trace: (m, meta) => log.trace(loggable(meta), m),
    debug: (m, meta) => log.debug(loggable(meta), m),
    info: (m, meta) => log.info(loggable(meta), m),
    warn: (m, meta) => log.warn(loggable(meta), m),
    error: (m, meta) => log.error(loggable(meta), m),
  };
}

/**
 * The SDK passes errors under keys pino does not serialize (e.g. `error`), which would log as `{}`: each goes through
 * the process logger's errSerializer, so a failed activity's query error logs no bound parameters nor pg's `detail`.
 */
function loggable(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!meta) return {};
  return Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, isErrorLike(v) ? errSerializer(v) : v]));
}
