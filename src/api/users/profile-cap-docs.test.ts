import { readFileSync } from 'node:fs';
import path from 'node:path';

const read = (file: string) => readFileSync(path.join(__dirname, '../../..', file), 'utf8');

// Review 63, finding 4: operations.md's query for profiles over a lowered cap measured jsonb's text, which weighs more
// than the compact JSON Kairos weighs, and said nothing of it: an operator trimmed profiles that were within the cap.
describe('what operations.md says of finding profiles over MAX_PROFILE_ATTRIBUTES_BYTES', () => {
  const row = read('docs/operations.md')
    .split('\n')
    .find((line) => line.startsWith('| `MAX_PROFILE_ATTRIBUTES_BYTES` |'));

  it('says the jsonb-text query lists a superset, and gives the exact check with the measure Kairos uses', () => {
    expect(row).toMatch(/octet_length\(attributes::text\) > <cap>` lists a superset/);
    expect(row).toContain('Buffer.byteLength(JSON.stringify(r.attributes)) > cap');
    // The definition column is generated jsonb; what Kairos wrote is definition_as_sent.
    expect(row).toContain('octet_length(definition_as_sent::text) > <cap>');
    expect(row).not.toContain('the same over `campaign_versions.definition`');
  });

  it('weighs as the repository does: compact JSON, as jsonBytes', () => {
    expect(read('src/store/repositories/user-profiles.repository.ts')).toMatch(/const bytes = jsonBytes\(merged\)/);
  });
});
