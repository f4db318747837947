import { Injectable } from '@nestjs/common';
import { UserEventsRepository, type UserEventsCursor } from '../../store/repositories/user-events.repository';
import { InputError } from '../common/errors';
import { parseInput } from '../common/zod-input';
import { UserEventsQuery, type UserEventsResponse } from './user-events.schemas';
import { UserId } from './users.schemas';
import { StorableTimestamp, textProblem } from '../../domain/storable';

const DEFAULT_LIMIT = 50;

/** The events a user sent, newest first, for the support desk. */
@Injectable()
export class UserEventsService {
  constructor(private readonly events: UserEventsRepository) {}

  async page(id: string, query: unknown): Promise<UserEventsResponse> {
    const userId = parseInput(UserId, id, 'id');
    const { limit, cursor } = parseInput(UserEventsQuery, query ?? {});
    const page = await this.events.page(userId, limit ?? DEFAULT_LIMIT, cursor ? decodeCursor(cursor) : null);
    return { events: page.events, next: page.next ? encodeCursor(page.next) : null };
  }
}

/** Opaque to clients: base64url of the JSON keyset position. */
function encodeCursor(c: UserEventsCursor): string {
  return Buffer.from(JSON.stringify([c.receivedAt, c.id])).toString('base64url');
}

function decodeCursor(text: string): UserEventsCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    // Checked as PostgreSQL will take them: a forged date it cannot store (2026-02-30, year 0) is no cursor either.
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && StorableTimestamp.safeParse(value[0]).success && typeof value[1] === 'string' && textProblem(value[1]) === null) {
      return { receivedAt: value[0], id: value[1] };
    }
  } catch {
    // fall through: refused below
  }
  throw new InputError([{ path: 'cursor', message: 'not a cursor this API gave out; pass the `next` of the previous page' }]);
}
