import { Registry } from 'prom-client';
import { SourceMetrics } from '../../ingest/source-metrics';
import { SourceSupervisor } from '../../ingest/source-supervisor';
import type { SourceRow, SourcesRepository } from '../../store/repositories/sources.repository';
import { InputError, NotFoundError } from '../common/errors';
import { SourcesService } from './sources.service';

const row = (enabled: boolean): SourceRow =>
  ({ key: 'orders', version: 1, definition: { key: 'orders', broker: 'rabbitmq', queue: 'q', enabled, mapping: {} }, createdAt: '2026-12-04T10:00:00.000Z', updatedAt: '2026-12-04T10:00:00.000Z' }) as unknown as SourceRow;

/** The service's view of what this instance runs; the supervisor here runs nothing, since its reload fails, as when PostgreSQL drops mid-reload. */
function serviceOver(stored: SourceRow) {
  const sources = { create: () => Promise.resolve(stored), get: () => Promise.resolve(stored) } as unknown as SourcesRepository;
  const supervisor = new SourceSupervisor({
    load: () => Promise.reject(new Error('Connection terminated')),
    createConsumer: () => {
      throw new Error('nothing is loaded, so nothing starts');
    },
    metrics: new SourceMetrics(new Registry()),
    log: { warn: () => undefined, error: () => undefined },
  });
  return new SourcesService(sources, supervisor);
}

describe('SourcesService: what a source says of this instance', () => {
  it('answers a stored source after a reload that failed, as connecting and not started yet rather than a 5xx or "disabled"', async () => {
    const created = await serviceOver(row(true)).create({ key: 'orders', broker: 'rabbitmq', queue: 'q', mapping: { id: 'id', type: { const: 't' }, userId: 'u' } });
    expect({ state: created.state, lastError: created.lastError }).toEqual({ state: 'connecting', lastError: expect.stringMatching(/^not started on this instance yet/) });
  });

  it('says disabled for a source that is', async () => {
    expect((await serviceOver(row(false)).get('orders')).state).toBe('disabled');
  });
});

describe('SourcesService: a NATS subject JetStream refuses for a stream is a 400 at subject', () => {
  const mapping = { id: 'id', type: { const: 't' }, userId: 'u' };

  it.each(['>', '*.order-paid', '*'])('on create and on replace: %s', async (subject) => {
    const service = serviceOver(row(true));
    for (const attempt of [() => service.create({ key: 'orders', broker: 'nats', stream: 'shops', subject, mapping }), () => service.replace('orders', { broker: 'nats', stream: 'shops', subject, mapping })]) {
      const err: unknown = await attempt().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).details).toEqual([{ path: 'subject', message: expect.stringContaining('first token is a wildcard') }]);
    }
  });
});

describe('SourcesService: a RabbitMQ queue whose dead-letter names RabbitMQ reserves is a 400 at queue (review-58-sources, finding 3)', () => {
  it('on create and on replace: amq', async () => {
    const mapping = { id: 'id', type: { const: 't' }, userId: 'u' };
    const service = serviceOver(row(true));
    for (const attempt of [() => service.create({ key: 'orders', broker: 'rabbitmq', queue: 'amq', mapping }), () => service.replace('orders', { broker: 'rabbitmq', queue: 'amq', mapping })]) {
      const err: unknown = await attempt().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).details).toEqual([{ path: 'queue', message: expect.stringContaining('would be amq.dlx and amq.dlq') }]);
    }
  });
});

describe('SourcesService: the answer while this instance still runs what was changed or removed (its reload failed)', () => {
  const definition = (queue: string) => ({ key: 'orders', broker: 'rabbitmq', queue, enabled: true, prefetch: 50, mapping: { id: 'id', type: { const: 't' }, userId: 'u' } });
  const stored = (version: number, queue: string): SourceRow => ({ ...row(true), version, definition: definition(queue) }) as unknown as SourceRow;

  /** Runs v1 of `orders`; every store read after the first fails, as when PostgreSQL is overloaded. */
  async function runningV1(writes: Partial<SourcesRepository>) {
    let loads = 0;
    const stops: string[] = [];
    const supervisor = new SourceSupervisor({
      load: () => (loads++ === 0 ? Promise.resolve([stored(1, 'q')]) : Promise.reject(new Error('Connection terminated'))),
      createConsumer: ({ key }) => ({ key, connected: true, lastError: null, start: () => undefined, stop: () => Promise.resolve(void stops.push(key)) }),
      metrics: new SourceMetrics(new Registry()),
      log: { warn: () => undefined, error: () => undefined },
    });
    await supervisor.reload();
    return { service: new SourcesService({ get: () => Promise.resolve(stored(1, 'q')), ...writes } as unknown as SourcesRepository, supervisor), supervisor, stops };
  }

  it('DELETE does not answer removed while the consumer runs on, and says why', async () => {
    const { service, supervisor, stops } = await runningV1({ delete: () => Promise.resolve(stored(1, 'q')) });
    const removed = await service.remove('orders');
    expect({ state: removed.state, lastError: removed.lastError, stops }).toEqual({
      state: 'consuming',
      lastError: expect.stringMatching(/^removed, but this instance still runs v1: reloading the sources failed \(Connection terminated\)/),
      stops: [],
    });
    await supervisor.stop();
  });

  it('PUT does not answer the new version consuming while the old one runs', async () => {
    const { service, supervisor } = await runningV1({ replace: () => Promise.resolve(stored(2, 'q2')) });
    const replaced = await service.replace('orders', { broker: 'rabbitmq', queue: 'q2', mapping: { id: 'id', type: { const: 't' }, userId: 'u' } });
    expect({ version: replaced.version, state: replaced.state, lastError: replaced.lastError }).toEqual({
      version: 2,
      state: 'connecting',
      lastError: expect.stringMatching(/^this instance still runs v1: reloading the sources failed \(Connection terminated\)/),
    });
    await supervisor.stop();
  });

  it('DELETE answers removed once the reload stopped the consumer', async () => {
    let loads = 0;
    const supervisor = new SourceSupervisor({
      load: () => Promise.resolve(loads++ === 0 ? [stored(1, 'q')] : []),
      createConsumer: ({ key }) => ({ key, connected: true, lastError: null, start: () => undefined, stop: () => Promise.resolve() }),
      metrics: new SourceMetrics(new Registry()),
      log: { warn: () => undefined, error: () => undefined },
    });
    await supervisor.reload();
    const service = new SourcesService({ delete: () => Promise.resolve(stored(1, 'q')) } as unknown as SourcesRepository, supervisor);
    expect(await service.remove('orders')).toMatchObject({ state: 'removed', lastError: null });
    await supervisor.stop();
  });
});

describe('SourcesService: a source stored with a wildcard-first subject before it was refused (review-46-diff, finding 3)', () => {
  it('can still be replaced with the same subject, e.g. to disable it; a new wildcard-first subject is refused', async () => {
    const mapping = { id: 'id', type: { const: 't' }, userId: 'u' };
    const definition = { key: 'orders', broker: 'nats', stream: 'shops', subject: '>', mapping };
    const stored: SourceRow = { key: 'orders', broker: 'nats', version: 1, definition, createdAt: 'c', updatedAt: 'u' };
    let replacedWith: unknown;
    const repo = {
      get: async () => stored,
      list: async () => [stored],
      replace: async (_key: string, _broker: string, def: unknown) => {
        replacedWith = def;
        return { ...stored, version: 2, definition: def };
      },
    } as unknown as SourcesRepository;
    const supervisor = new SourceSupervisor({
      load: () => Promise.resolve([]),
      createConsumer: () => {
        throw new Error('nothing is loaded, so nothing starts');
      },
      metrics: new SourceMetrics(new Registry()),
      log: { warn: () => undefined, error: () => undefined },
    });
    const service = new SourcesService(repo, supervisor);
    await service.replace('orders', { ...definition, key: undefined, enabled: false }).catch(() => undefined);
    expect(replacedWith).toMatchObject({ subject: '>', enabled: false });
    const err: unknown = await service.replace('orders', { ...definition, key: undefined, subject: '*.paid' }).catch((e: unknown) => e);
    expect((err as InputError).details).toEqual([{ path: 'subject', message: expect.stringContaining('first token is a wildcard') }]);
  });
});


describe('SourcesService.replace: no such source is a 404 first, whatever the body (review 61, finding 5)', () => {
  const mapping = { id: 'id', type: 'type', userId: 'u' };
  const serviceWithout = () => {
    const replace = jest.fn();
    const sources = { get: () => Promise.resolve(null), replace } as unknown as SourcesRepository;
    return { service: new SourcesService(sources, {} as SourceSupervisor), replace };
  };

  it('a key no source can have: 404, not a 400 at a `key` the body never sent', async () => {
    const { service, replace } = serviceWithout();
    await expect(service.replace('Bad', { broker: 'nats', stream: 's', subject: 'a.b', mapping })).rejects.toBeInstanceOf(NotFoundError);
    expect(replace).not.toHaveBeenCalled();
  });

  it('a source that does not exist with a body that is not a source: 404, as a campaign', async () => {
    const { service } = serviceWithout();
    await expect(service.replace('nosuch', { broker: 'nats' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.replace('nosuch', [1])).rejects.toBeInstanceOf(NotFoundError);
  });

  it('an existing source still answers 400 at the path of each problem', async () => {
    const err: unknown = await serviceOver(row(true)).replace('orders', { broker: 'nats' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).details.map((d) => d.path).sort()).toEqual(['mapping', 'stream', 'subject']);
  });
});
