import { QuietHours } from './schema';

/**
 * A message waiting out quiet hours holds what comes after it (docs/campaigns.md, schedule.quietHours): the API
 * reference and the typed client take this description, and must not promise that rewards are never delayed.
 */
describe('what quiet hours are said to do', () => {
  it('the schema description says a waiting message holds what comes after it', () => {
    expect(QuietHours.description).toMatch(/holds what comes after it/);
    expect(QuietHours.description).not.toMatch(/rewards are never delayed/i);
  });
});
