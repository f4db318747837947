import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A file as one line of words: its lines joined, a doc comment's leading `*` left out. */
const read = (file: string) =>
  readFileSync(path.join(__dirname, '../../..', file), 'utf8')
    .replace(/\n\s*\*(?!\/)/g, ' ')
    .replace(/\s+/g, ' ');

// Review 62, finding 5: the paging was said to be "stable while events arrive", but received_at is the storing
// transaction's start, not its commit: an event that commits late, behind a page already read, is not on that walk's
// later pages (only on a fresh first page). The docs and the repository say so rather than promise every event.
describe('what GET /v1/users/:id/events promises a walk through its pages', () => {
  it('does not claim stability while events arrive, and says a late event is on a fresh first page', () => {
    const repository = read('src/store/repositories/user-events.repository.ts');
    expect(repository).not.toMatch(/stable while events arrive/);
    expect(repository).toMatch(/received_at is the writing transaction's start \(the column's now\(\)\), not its commit/);
    const events = read('docs/api.md')
      .split(' | ')
      .find((cell) => cell.includes("the user's events, newest received first"));
    expect(events).toMatch(/an event stored meanwhile is on a fresh first page, and may not be on the walk's later pages/);
  });
});
