import { inputErrorPaths } from '../common/input-error.test-support';
import type { FastifyRequest } from 'fastify';
import type { EventCancelService } from './event-cancel.service';
import type { EventDetailService } from './event-detail.service';
import { EventSupportController } from './event-support.controller';

// Review 61, finding 6: the id was parsed first and its 400 named nothing of the body.
describe('POST /v1/events/:id/cancel names every bad part at once', () => {
  const cancel = jest.fn();
  const controller = new EventSupportController({} as EventDetailService, { cancel } as unknown as EventCancelService);
  const req = { id: 'req-1' } as FastifyRequest;

  it('an id past 200 characters and a bad reason: both in one 400, and nothing cancelled', async () => {
    expect(await inputErrorPaths(() => controller.cancel('e'.repeat(201), { reason: ' ', x: 1 }, req))).toEqual(['id', 'reason', 'x']);
    expect(cancel).not.toHaveBeenCalled();
  });

  it('a good id and body cancel as before', async () => {
    cancel.mockResolvedValueOnce({});
    await controller.cancel('ev-1', { reason: 'refund 7781' }, req);
    expect(cancel).toHaveBeenCalledWith('ev-1', 'refund 7781', 'req-1');
  });
});
