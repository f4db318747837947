import type { UserEventsRepository } from '../../store/repositories/user-events.repository';
import { InputError } from '../common/errors';
import { UserEventsService } from './user-events.service';

describe('UserEventsService.page', () => {
  it('reports every bad part of the request at once: the id and the query together, reading nothing', async () => {
    const read: unknown[] = [];
    const events = { page: async (...args: unknown[]) => (read.push(args), { events: [], next: null }) } as unknown as UserEventsRepository;
    const err = await new UserEventsService(events).page('..', { limit: '0', colour: 'red' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).details.map((d) => d.path).sort()).toEqual(['colour', 'id', 'limit']);
    expect(read).toEqual([]);
  });
});
