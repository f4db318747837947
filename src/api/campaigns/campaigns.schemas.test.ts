import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CampaignListCounts } from './campaigns.schemas';

describe('the OpenAPI text of counts.entered (review 46, finding 6)', () => {
  it('names what CampaignsRepository.entryCounts reads: the funnel counters of the (entry) edge, not journey_entries', () => {
    const description = CampaignListCounts.shape.entered.description ?? '';
    const repository = readFileSync(path.join(__dirname, '../../store/repositories/campaigns.repository.ts'), 'utf8');
    const entryCounts = repository.slice(repository.indexOf('async entryCounts('), repository.indexOf('async currentCounts('));
    // What the code reads...
    expect(entryCounts).toContain("from funnel_counters where kind = 'edge' and from_state = '(entry)'");
    expect(entryCounts).not.toContain('journey_entries');
    // ...is what the description says.
    expect(description).toContain("the funnel's `(entry)` edge counters");
    expect(description).not.toContain('journey_entries');
    expect(description).not.toMatch(/never pruned/);
  });
});
