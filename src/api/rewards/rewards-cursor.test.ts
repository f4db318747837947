import { InputError } from '../common/errors';
import { zodIssues } from '../common/zod-input';
import { decodeRewardsCursor, encodeRewardsCursor, MAX_REWARDS_CURSOR_LENGTH } from './rewards-cursor';
import { UserRewardsQuery } from './rewards.schemas';

const position = { issuedAt: '2026-12-04T10:00:00.123456Z', id: '0b7f6c1e-54a2-4c1e-9d55-7d0c2b9b4f21' };
const asCursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function refusalOf(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  return undefined;
}

const pathsOf = (query: Record<string, string>) => {
  const parsed = UserRewardsQuery.safeParse(query);
  return parsed.success ? [] : zodIssues(parsed.error).map((i) => i.path);
};

describe('rewards cursor (`before` of GET /v1/users/:id/rewards)', () => {
  it('takes back the cursor it gives out, to the microsecond, and the query takes it', () => {
    const cursor = encodeRewardsCursor(position);
    expect(cursor.length).toBeLessThanOrEqual(MAX_REWARDS_CURSOR_LENGTH);
    expect(pathsOf({ before: cursor })).toEqual([]);
    expect(decodeRewardsCursor(cursor)).toEqual(position);
  });

  it.each([
    ['text that is no cursor', 'not a cursor'],
    ['a date PostgreSQL cannot store', asCursor(['2026-02-30T00:00:00Z', position.id])],
    ['a time without a zone', asCursor(['2026-12-04T10:00:00', position.id])],
    ['an id that is no uuid', asCursor([position.issuedAt, 'ev-1'])],
    ['a uuid-looking id past hex', asCursor([position.issuedAt, 'zb7f6c1e-54a2-4c1e-9d55-7d0c2b9b4f21'])],
    ['a third part', asCursor([position.issuedAt, position.id, 1])],
    ['an object', asCursor({ issuedAt: position.issuedAt, id: position.id })],
  ])('refuses %s at `before`, never handing it to PostgreSQL', (_what, text) => {
    const refusal = refusalOf(() => decodeRewardsCursor(text));
    expect(refusal).toBeInstanceOf(InputError);
    expect((refusal as InputError).details.map((d) => d.path)).toEqual(['before']);
  });

  it('refuses an empty or overlong `before`, and a `causedBy` no event id can be, at their paths', () => {
    expect(pathsOf({ before: '' })).toEqual(['before']);
    expect(pathsOf({ before: 'a'.repeat(MAX_REWARDS_CURSOR_LENGTH + 1) })).toEqual(['before']);
    expect(pathsOf({ causedBy: '' })).toEqual(['causedBy']);
    expect(pathsOf({ causedBy: 'e'.repeat(201) })).toEqual(['causedBy']);
    expect(pathsOf({ causedBy: 'ord\u0000-1' })).toEqual(['causedBy']);
    expect(pathsOf({ causedBy: 'ord-1', limit: '10', before: encodeRewardsCursor(position) })).toEqual([]);
    expect(pathsOf({ caused_by: 'ord-1' })).toEqual(['caused_by']);
  });
});
