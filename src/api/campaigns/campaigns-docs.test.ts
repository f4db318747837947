import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Docs against what the campaigns service and the routing do (review 62). */
const root = path.join(__dirname, '../../..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');
const oneLine = (text: string): string => text.replace(/\s+/g, ' ');

/** The text of a `## heading` section, up to the next one, on one line. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = markdown.indexOf('\n## ', start + 1);
  return oneLine(markdown.slice(start, end === -1 ? undefined : end));
}

// Finding 4: "paused: no new entries" did not say that routing happens when an event is accepted, so starts stored before the pause still enter.
describe('what still enters a paused campaign', () => {
  it('docs/campaigns.md, "Versions and status": events accepted before the pause, or routed by an instance that has not reloaded, still enter when delivered', () => {
    const text = section(read('docs/campaigns.md'), 'Versions and status');
    expect(text).toContain('A pause, like `schedule.endsAt`, judges an entry by when Kairos accepted the event');
    expect(text).toContain("An event accepted before the pause's 200 still enters when it is delivered later");
    expect(text).toContain('an API instance that has not reloaded its routing index yet still routes the events it accepts as starts, and they enter too');
    expect(text).toContain('within a minute when that notification is lost');
  });

  it('docs/api.md, the pause row: says the same and links there', () => {
    const row = read('docs/api.md')
      .split('\n')
      .find((line) => line.startsWith('| `POST /v1/campaigns/:key/pause`'));
    expect(row).toContain('paused: no new entries (judged by when the event was accepted: one accepted before the pause, or routed by an instance that has not reloaded yet, still enters when delivered');
    expect(row).toContain('(campaigns.md#versions-and-status)');
  });
});

// Finding 1: stored versions compile as accepted everywhere, not only in their journeys.
describe('stored versions and rules added later', () => {
  it('docs/campaigns.md says a stored version compiles as it was accepted wherever it runs', () => {
    expect(oneLine(read('docs/campaigns.md'))).toContain(
      'A stored version is otherwise compiled as it was accepted, wherever it runs: by its journeys, by the routing of events, by batch ticks, its Schedule and the preview.',
    );
  });
});
