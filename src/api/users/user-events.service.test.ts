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

  // Review 62, finding 3: the cursor was decoded after the id and the query had passed, so a bad one was reported
  // only once the other problems were fixed (docs/api.md: every bad part of the request at once).
  it('reports a bad cursor with the other bad parts at once, once each', async () => {
    const read: unknown[] = [];
    const events = { page: async (...args: unknown[]) => (read.push(args), { events: [], next: null }) } as unknown as UserEventsRepository;
    const sut = new UserEventsService(events);
    const pathsOf = (id: string, query: object) =>
      sut.page(id, query).then(
        () => [],
        (e: unknown) => (e instanceof InputError ? e.details.map((d) => d.path).sort() : e),
      );
    expect(await pathsOf('..', { cursor: 'garbage' })).toEqual(['cursor', 'id']);
    expect(await pathsOf('u1', { cursor: 'garbage', limit: '0' })).toEqual(['cursor', 'limit']);
    expect(await pathsOf('u1', { cursor: 'x'.repeat(3000) })).toEqual(['cursor']);
    expect(await pathsOf('u1', { cursor: '' })).toEqual(['cursor']);
    expect(read).toEqual([]);
  });
});
