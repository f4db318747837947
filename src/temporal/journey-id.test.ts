import { journeyWorkflowId } from '../workflows/journey/contract';
import { journeyIdOf, MAX_WORKFLOW_ID_CHARS } from './journey-id';

const longestKey = 'k'.repeat(100);

describe('journey workflow ids fit what Temporal stores on PostgreSQL', () => {
  it('leaves an id that fits as it was', () => {
    expect(journeyIdOf('welcome', 'u-1')).toBe('journey:welcome:u-1');
    const fits = 'u'.repeat(MAX_WORKFLOW_ID_CHARS - 'journey:welcome:'.length);
    expect(journeyIdOf('welcome', fits)).toBe(journeyWorkflowId('welcome', fits));
  });

  it('cuts a user id that would pass 255 characters and adds a digest of the whole of it', () => {
    const user = `${'u'.repeat(150)}-alpha-${'x'.repeat(43)}`;
    const id = journeyIdOf(longestKey, user);
    expect([...id]).toHaveLength(MAX_WORKFLOW_ID_CHARS);
    expect(id.startsWith(`journey:${longestKey}:uuu`)).toBe(true);
    expect(id).toMatch(/~[A-Za-z0-9_-]{32}$/);
    // The same user, the same id; two users alike in what fits, two ids.
    expect(journeyIdOf(longestKey, user)).toBe(id);
    expect(journeyIdOf(longestKey, `${'u'.repeat(150)}-bravo-${'x'.repeat(43)}`)).not.toBe(id);
  });

  it('counts characters as PostgreSQL does: code points, an emoji one', () => {
    const user = '😀'.repeat(200);
    const id = journeyIdOf(longestKey, user);
    expect([...id].length).toBeLessThanOrEqual(MAX_WORKFLOW_ID_CHARS);
    expect(id).not.toContain('\uFFFD');
    expect(journeyIdOf('k', '😀'.repeat(200))).toBe(journeyWorkflowId('k', '😀'.repeat(200)));
  });
});
