import { Registry } from 'prom-client';
import { SourceMetrics } from '../../ingest/source-metrics';
import { SourceSupervisor } from '../../ingest/source-supervisor';
import type { SourceRow, SourcesRepository } from '../../store/repositories/sources.repository';
import { InputError } from '../common/errors';
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
