import { InputError } from '../common/errors';
import { decodeCursor, encodeCursor } from './user-events-cursor';
import { UserEventsQuery } from './user-events.schemas';

/** The receipt time as the repository gives it (to_char with microseconds). */
const receivedAt = '2026-12-04T10:00:00.123456Z';

function refusalOf(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('user events cursor', () => {
  // Every id an event may have (up to 200 UTF-16 characters of storable text): the cursor after it must come back in.
  it.each([
    ['200 ASCII letters', 'a'.repeat(200)],
    ['200 two-byte letters', 'é'.repeat(200)],
    ['200 three-byte characters', '订'.repeat(200)],
    ['100 emoji (200 UTF-16 characters)', '😀'.repeat(100)],
    ['200 quotes', '"'.repeat(200)],
    ['200 backslashes', '\\'.repeat(200)],
    ['200 control characters (JSON writes each as \\u0001)', '\u0001'.repeat(200)],
  ])('takes back the cursor it gives out after an id of %s', (_what, id) => {
    const cursor = encodeCursor({ receivedAt, id });
    const parsed = UserEventsQuery.safeParse({ cursor });
    expect(parsed.success ? 'taken' : parsed.error.issues).toBe('taken');
    expect(decodeCursor(cursor)).toEqual({ receivedAt, id });
  });

  it('refuses at `cursor` what it did not give out', () => {
    const forged = Buffer.from(JSON.stringify(['2026-02-30T00:00:00Z', 'ev-1'])).toString('base64url');
    for (const text of ['not base64 json', forged]) {
      const refusal = refusalOf(() => decodeCursor(text));
      expect(refusal).toBeInstanceOf(InputError);
      expect((refusal as InputError).details.map((d) => d.path)).toEqual(['cursor']);
      // The query schema refuses it too, as one problem at `cursor` (review 62, finding 3).
      const parsed = UserEventsQuery.safeParse({ cursor: text });
      expect(parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'))).toEqual(['cursor']);
    }
  });
});
