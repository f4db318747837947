import { createKairosClient, KairosApiError, unwrap, type KairosClient } from '../../clients/ts/src';
import type { Connection } from './connection';
import { CliError, ExitCode } from './exit-codes';

export { KairosApiError, unwrap, type KairosClient };

export function clientFor(connection: Connection): KairosClient {
  return createKairosClient({ baseUrl: connection.url, apiKey: connection.apiKey });
}

/** Kairos could not be asked at all: no answer, a key it refuses, or a dependency down. */
export function isUnreachable(err: unknown): boolean {
  if (err instanceof KairosApiError) return err.status === 401 || err.status === 403 || err.status >= 500;
  return isFetchFailure(err);
}

/** fetch's own failure (connection refused, DNS, TLS): a TypeError, compared by name because it may come from another realm (jest). */
function isFetchFailure(err: unknown): err is TypeError {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'TypeError';
}

/** The one line (and exit code) for an error that no command handled itself. */
export function describeFailure(err: unknown, connection?: Connection): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof KairosApiError) {
    const where = connection ? ` (${connection.url})` : '';
    if (err.status === 401) return new CliError(`Kairos refused the API key${where}: set KAIROS_API_KEY, a profile's apiKey, or --api-key`, ExitCode.unreachable);
    if (err.status === 403) return new CliError(`the API key's role may not do this${where}: ${err.body?.error.message ?? 'forbidden'}`, ExitCode.unreachable);
    return new CliError(err.message, isUnreachable(err) ? ExitCode.unreachable : ExitCode.failure);
  }
  if (isFetchFailure(err)) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return new CliError(
      `cannot reach Kairos at ${connection?.url ?? 'its URL'}: ${cause?.code ?? cause?.message ?? err.message} (set KAIROS_URL or a profile; is it running?)`,
      ExitCode.unreachable,
    );
  }
  return new CliError(err instanceof Error ? err.message : String(err), ExitCode.failure);
}

/** The data of a call, or undefined for a 404 (other errors are thrown). */
export async function orNotFound<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T | undefined> {
  try {
    return await unwrap(call);
  } catch (err) {
    if (err instanceof KairosApiError && err.status === 404) return undefined;
    throw err;
  }
}
