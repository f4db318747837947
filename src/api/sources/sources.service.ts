import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { natsDurable, SourceDefinition, subjectProblem } from '../../ingest/source-definition';
import { SourceSupervisor } from '../../ingest/source-supervisor';
import { subjectsShareEvents } from '../../ingest/nats-consumer';
import { SourcesRepository, type SourceRow } from '../../store/repositories/sources.repository';
import { ConflictError, InputError, NotFoundError } from '../common/errors';
import { parseInput } from '../common/zod-input';
import type { SourceView } from './sources.schemas';
import { isObject } from '../../domain/is-object';

/**
 * Event sources as configuration: validated with paths, stored (the table's
 * trigger tells every API instance), and applied here at once so the answer
 * reflects this instance's consumer.
 */
@Injectable()
export class SourcesService {
  constructor(
    private readonly sources: SourcesRepository,
    private readonly supervisor: SourceSupervisor,
  ) {}

  async create(body: unknown): Promise<SourceView> {
    const def = admitted(parseInput(SourceDefinition, body));
    const row = await this.sources.create(def.key, def.broker, def, (stored) => refuseOverlap(def, stored));
    if (!row) throw new ConflictError(`Source ${def.key} exists; PUT /v1/sources/${def.key} replaces it.`, 'source_exists');
    await this.reloadStored();
    return this.view(row);
  }

  async replace(key: string, body: unknown): Promise<SourceView> {
    // No such source is the answer first, whatever the body holds (as for campaigns): a key no source can have
    // (`Bad`) is one no source has, not a 400 at a `key` the body never sent.
    const current = await this.sources.get(key);
    if (!current) throw new NotFoundError(`No source ${key}.`);
    if (!isObject(body)) throw new InputError([{ path: '', message: 'expected a source definition (a JSON object)' }]);
    if (body.key !== undefined && body.key !== key) throw new InputError([{ path: 'key', message: `must be "${key}", the source in the path, or left out` }]);
    const def = parseInput(SourceDefinition, { ...body, key });
    // The same definition again (a retried request, a deploy script run twice) is no new version, and no consumer restart.
    // A subject stored before it was refused stays: the source can still be disabled or changed otherwise.
    if (!(def.broker === 'nats' && current.definition.subject === def.subject)) admitted(def);
    if (isDeepStrictEqual(current.definition, def)) return this.view(current);
    const row = await this.sources.replace(key, def.broker, def, (stored) => refuseOverlap(def, stored));
    if (!row) throw new NotFoundError(`No source ${key}.`);
    await this.reloadStored();
    return this.view(row);
  }

  /**
   * Stops consuming the source everywhere; what is still in the broker stays
   * there. Answers what was removed, `removed` once this instance's consumer
   * stopped, or the state of the one it still runs (its reload failed and is
   * retried).
   */
  async remove(key: string): Promise<SourceView> {
    const row = await this.sources.delete(key);
    if (!row) throw new NotFoundError(`No source ${key}.`);
    await this.reloadStored();
    return { ...this.view(row), ...this.supervisor.consumerOfRemoved(key) };
  }

  async get(key: string): Promise<SourceView> {
    const row = await this.sources.get(key);
    if (!row) throw new NotFoundError(`No source ${key}.`);
    return this.view(row);
  }

  async list(): Promise<SourceView[]> {
    return (await this.sources.list()).map((r) => this.view(r));
  }

  /**
   * The change is committed before this runs: a reload that fails (the
   * supervisor logs why) must not turn the answer into a 5xx for a stored
   * change, which a retried POST would then meet as source_exists. The
   * supervisor tries it again until it succeeds, and the change's own
   * notification reloads every instance again; meanwhile the answer says what
   * this instance still runs.
   */
  private async reloadStored(): Promise<void> {
    await this.supervisor.reload('write').catch(() => undefined);
  }

  private view(row: SourceRow): SourceView {
    return {
      key: row.key,
      version: row.version,
      ...this.supervisor.consumerOf(row),
      definition: row.definition,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }
}

/**
 * Two enabled sources on one RabbitMQ queue split its messages between them,
 * each mapping its share its own way; two on overlapping subjects of one NATS
 * stream each take every message both match; two on one durable consumer of
 * one stream pull from it by turns (the second's filter replaces the first's),
 * each mapping the other's messages. Each is a mistake to refuse now (409),
 * not to find in the events later.
 */
/** What a new source, or a replaced one's new subject, must meet beyond the schema a stored one is read with. */
function admitted(def: SourceDefinition): SourceDefinition {
  const problem = def.broker === 'nats' ? subjectProblem(def.subject) : null;
  if (problem) throw new InputError([{ path: 'subject', message: problem }]);
  return def;
}

function refuseOverlap(def: SourceDefinition, stored: SourceRow[]): void {
  if (!def.enabled) return;
  for (const row of stored) {
    const other = SourceDefinition.safeParse(row.definition);
    if (row.key === def.key || !other.success || !other.data.enabled) continue;
    const o = other.data;
    if (def.broker === 'rabbitmq' && o.broker === 'rabbitmq' && o.queue === def.queue) {
      throw new ConflictError(
        `Source ${o.key} already consumes queue ${def.queue}: two sources on one queue would split its messages between them, each mapping its share its own way. Change ${o.key}, or bind another queue to the same exchange.`,
        'source_overlaps',
        [{ path: 'queue', message: `source ${o.key} consumes it` }],
      );
    }
    if (def.broker !== 'nats' || o.broker !== 'nats' || o.stream !== def.stream) continue;
    if (natsDurable(o) === natsDurable(def)) {
      throw new ConflictError(
        `Source ${o.key} already reads stream ${def.stream} through the durable consumer ${natsDurable(def)}: two sources on one consumer would take each other's messages, and the second's subject would replace the first's. Give this source another \`durable\`.`,
        'source_overlaps',
        [{ path: 'durable', message: `the consumer of source ${o.key}` }],
      );
    }
    if (subjectsShareEvents(o.subject, def.subject)) {
      throw new ConflictError(
        `Source ${o.key} already consumes ${o.subject} of stream ${def.stream}, which ${def.subject} overlaps: a message on both would become two events, one by each source. Narrow one of the subjects, or change ${o.key}.`,
        'source_overlaps',
        [{ path: 'subject', message: `overlaps ${o.subject} of source ${o.key}` }],
      );
    }
  }
}
