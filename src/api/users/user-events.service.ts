import { Injectable } from '@nestjs/common';
import { UserEventsRepository } from '../../store/repositories/user-events.repository';
import { inputPart, parseAll } from '../common/zod-input';
import { UserEventsQuery, type UserEventsResponse } from './user-events.schemas';
import { UserId } from './users.schemas';
import { decodeCursor, encodeCursor } from './user-events-cursor';

const DEFAULT_LIMIT = 50;
/**
 * The properties one page carries at most (the first event whatever it weighs): 200 events at the default
 * MAX_EVENT_PROPERTIES_BYTES would be a 50 MB answer, held several times over in the API's memory while it is built.
 */
export const MAX_PAGE_PROPERTIES_BYTES = 4 * 1024 * 1024;

/** The events a user sent, newest first, for the support desk. */
@Injectable()
export class UserEventsService {
  constructor(private readonly events: UserEventsRepository) {}

  async page(id: string, query: unknown): Promise<UserEventsResponse> {
    // Every part checked at once: a 400 names each problem of the request, the id's and the query's (the cursor's
    // too: UserEventsQuery decodes it) together.
    const [userId, { limit, cursor }] = parseAll(inputPart(UserId, id, 'id'), inputPart(UserEventsQuery, query ?? {}));
    const page = await this.events.page(userId, { rows: limit ?? DEFAULT_LIMIT, bytes: MAX_PAGE_PROPERTIES_BYTES }, cursor ? decodeCursor(cursor) : null);
    return { events: page.events, next: page.next ? encodeCursor(page.next) : null };
  }
}
