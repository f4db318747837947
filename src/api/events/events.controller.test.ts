import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config/config';
import { PayloadTooLargeError } from '../common/errors';
import { toHttpError } from '../common/http-error.filter';
import { EventsController } from './events.controller';
import type { EventsService } from './events.service';

describe('EventsController: a batch over the limit', () => {
  const ingest = jest.fn();
  const controller = new EventsController({ ingest } as unknown as EventsService, { sizeCaps: { eventPropertiesBytes: 256 * 1024 } } as unknown as Config);
  const events = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `e-${i}`, type: 't', userId: 'u' }));

  it('is a 413 that names its path, `events`, as every other refusal of the route does, and stores nothing', async () => {
    const refused: unknown = await controller.post({ events: events(1001) }, { id: 'req-1' } as FastifyRequest).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(PayloadTooLargeError);
    expect(toHttpError(refused)).toEqual({
      status: 413,
      body: { error: { code: 'payload_too_large', message: 'A batch holds at most 1000 events.', details: [{ path: 'events', message: 'holds 1001 events; a batch holds at most 1000' }] } },
    });
    expect(ingest).not.toHaveBeenCalled();
  });
});
