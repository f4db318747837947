import { readFileSync } from 'node:fs';
import path from 'node:path';
import { apiRoutes } from './api-document';

// Review 63 (console), finding 3: the console's "Running journeys per version", the /running summary and the guides said
// a journey keeps the version it entered with until it ends, and that an old version drains. An idle journey moves to the
// active version with its user's next entry (src/domain/machine/routed-entry.ts), so an old version's count need not reach 0.
const ROOT = path.join(__dirname, '../../..');
const oneLine = (file: string) => readFileSync(path.join(ROOT, file), 'utf8').replace(/\s+/g, ' ');
const WRONG = /keeps the version it entered with until it ends|keep the version they entered with|drains/;

describe('what the console, the /running summary and the guides say of the version a running journey counts under', () => {
  it.each(['console/src/pages/campaign/VersionsPanel.tsx', 'docs/console.md', 'docs/campaigns.md', 'docs/api.md', 'README.md'])('%s does not say a journey keeps its version until it ends', (file) => {
    expect(oneLine(file).match(WRONG)?.[0] ?? null).toBeNull();
  });

  it("the panel says an idle journey moves to the active version with its user's next entry", () => {
    expect(oneLine('console/src/pages/campaign/VersionsPanel.tsx')).toMatch(/an idle journey moves to the active version with its user's next entry/);
  });

  it('the OpenAPI summary of getCampaignRunningByVersion says so too', () => {
    const summary = apiRoutes().find((r) => r.spec?.operationId === 'getCampaignRunningByVersion')?.spec?.summary ?? '';
    expect(summary).toMatch(/^Running journeys per version/);
    expect(summary.match(WRONG)?.[0] ?? null).toBeNull();
    expect(summary).toMatch(/an idle journey \(no path running\) moves to the active version/);
  });
});
