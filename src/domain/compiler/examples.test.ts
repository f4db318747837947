import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { compileCampaign } from './index';

const dir = join(__dirname, '../../../examples/campaigns');

describe('example campaigns', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

  it('exist', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('%s compiles', (file) => {
    const result = compileCampaign(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    expect(result.ok ? [] : result.issues).toEqual([]);
  });
});
