import { readFileSync } from 'node:fs';
import path from 'node:path';

/** docs/console.md's campaign page bullets, each as one line of words (its lines joined). */
function campaignPageBullets(): string[] {
  const text = readFileSync(path.join(__dirname, '../../../docs/console.md'), 'utf8');
  return text
    .split(/\n(?=- )/)
    .map((b) => b.replace(/\s+/g, ' '))
    .filter((b) => b.startsWith('- '));
}

// Review 60 (analytics), finding 4: the docs said the edges count users and the intervals pair within a journey.
describe("docs/console.md on the campaign page's figures", () => {
  it('says an edge counts transitions, as the funnel does, not the users who took it', () => {
    const counts = campaignPageBullets().find((b) => b.startsWith('- Each state shows the users who entered it'));
    expect(counts).toBeDefined();
    expect(counts).not.toMatch(/edge the users who took it/);
    expect(counts).toMatch(/edge the transitions taken along it \(a user who loops counts each time\)/);
  });

  it('says the intervals pair arrivals of the same path, and that a return to the second state counts again only through the first', () => {
    const intervals = campaignPageBullets().find((b) => b.startsWith('- An intervals panel'));
    expect(intervals).toBeDefined();
    expect(intervals).not.toMatch(/in the same journey/);
    expect(intervals).not.toMatch(/comes back counts each time/);
    expect(intervals).toMatch(/by the same path of the journey/);
    expect(intervals).toMatch(/counts again only when it passed the first state again/);
  });
});
