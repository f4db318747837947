import { SourceDefinition } from '../ingest/source-definition';
import { diffValues, type Change } from './campaign-diff';
import type { Cell } from './table';
import { isObject } from '../domain/is-object';

/** A source as GET /v1/sources answers it. */
export interface SourceView {
  key: string;
  version: number;
  state: string;
  /** Why the consumer of the API instance that answered is in that state (a broker's refusal, a failed reload), when it says. */
  lastError?: string | null;
  definition: Record<string, unknown>;
  updatedAt: string;
}

/**
 * Why a source is in its state on the API instance that answered, as one
 * line (`why connecting: ...`), or undefined when Kairos gave no reason.
 * `connecting` alone cannot tell a broker that refuses the source from an
 * instance still running an older version: only `lastError` says which.
 */
export function consumerWhy(source: Pick<SourceView, 'state' | 'lastError'>): string | undefined {
  return source.lastError ? `why ${source.state}: ${source.lastError}` : undefined;
}


/** Where a source reads from, in a few words: `queue shop.order-paid`, `stream ORDERS subject orders.>`. */
export function sourceReads(definition: Record<string, unknown>): string {
  if (definition.broker === 'rabbitmq') {
    const bind = isObject(definition.bind) ? ` (bound to ${String(definition.bind.exchange)} ${String(definition.bind.routingKey ?? '#')})` : '';
    return `queue ${String(definition.queue)}${bind}`;
  }
  if (definition.broker === 'nats') return `stream ${String(definition.stream)} subject ${String(definition.subject)}`;
  return '-';
}

export const SOURCE_COLUMNS = ['key', 'broker', 'reads', 'enabled', 'state', 'version', 'updated'];

export function sourceRows(sources: SourceView[]): Cell[][] {
  return sources.map((s) => [s.key, String(s.definition.broker ?? '-'), sourceReads(s.definition), s.definition.enabled !== false, s.state, s.version, s.updatedAt]);
}

/** The sources a file holds: one (prefix '') or a list of them (prefix `[i]`, so problems point at the right item). */
export function sourceItems(value: unknown): { definition: unknown; prefix: string }[] {
  return Array.isArray(value) ? value.map((definition, i) => ({ definition, prefix: `[${i}]` })) : [{ definition: value, prefix: '' }];
}

/**
 * Keys that more than one definition names (in one file's list or across a
 * folder's files), each with where every one of them is (`file[i]`): each
 * apply would replace the other's, a new version and a consumer restart on
 * every run.
 */
export function repeatedKeys(found: ReadonlyArray<{ key: string | undefined; where: string }>): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const { key, where } of found) if (key !== undefined) byKey.set(key, [...(byKey.get(key) ?? []), where]);
  return new Map([...byKey].filter(([, places]) => places.length > 1));
}

/** The key of a definition from a file, when it has one. */
export function sourceKey(definition: unknown): string | undefined {
  return isObject(definition) && typeof definition.key === 'string' && definition.key ? definition.key : undefined;
}

/**
 * What a PUT of `local` would change in the stored definition, compared as
 * the server stores it (the shared schema fills in its defaults: a file that
 * leaves `prefetch` out equals a stored 200). Null when `local` does not pass
 * the schema here: the server is then asked, and says where it is wrong.
 */
export function sourceChanges(stored: Record<string, unknown>, local: unknown): Change[] | null {
  const parsed = SourceDefinition.safeParse(local);
  return parsed.success ? diffValues(stored, parsed.data) : null;
}
