import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { compiled, TestJourney } from '../testing/journey';

/** The campaign of docs/plays/spend-and-post.md, as the page writes it (its first yaml block). */
function playCampaign(): unknown {
  const page = readFileSync(path.join(__dirname, '../../../docs/plays/spend-and-post.md'), 'utf8');
  const block = /```yaml\n([\s\S]*?)```/.exec(page);
  if (!block) throw new Error('docs/plays/spend-and-post.md has no yaml block');
  return parse(block[1]);
}

describe('the spend-and-post play and quiet hours', () => {
  it('writes the campaign of examples/campaigns/spend-and-post.json', () => {
    const example: unknown = JSON.parse(readFileSync(path.join(__dirname, '../../../examples/campaigns/spend-and-post.json'), 'utf8'));
    expect(playCampaign()).toEqual(example);
  });

  it('holds the reward of a user who qualifies at night behind the waiting nudge (what the play page and docs/campaigns.md say)', () => {
    const j = new TestJourney(compiled(playCampaign()), { user: { level: 2, vip: false }, now: '2026-11-07T15:00:00Z' });
    j.event('order.completed', { amount: 1 });
    j.wait(3 * 86400).fireDueTimers();
    expect(j.runningActions()).toEqual([expect.objectContaining({ notBefore: '2026-11-11T00:00:00.000Z' })]);
    j.wait(1800);
    for (let i = 0; i < 5; i++) j.event('order.completed', { amount: 5 });
    for (let i = 0; i < 10; i++) j.event('post.created');
    expect(j.currentStates()).toEqual(['nudged']);
    expect(j.all('runAction').map((a) => a.action.type)).toEqual(['message']);
    // 08:00: the push goes out, and only then the reward.
    j.wait(8.5 * 3600);
    j.outcome('nudged/0', 'succeeded');
    expect(j.all('recordTransition').at(-1)).toMatchObject({ to: 'rewarded', at: '2026-11-11T00:00:00.000Z' });
    expect(j.all('runAction').map((a) => a.action.type)).toEqual(['message', 'points']);
  });

  it('rewards orders of 2.40, 14.20 and 3.40, which add up to 20.00 (their doubles to 19.999999999999996), and a journey from before decimal-readings reads the double (review-59-language, finding 2)', () => {
    const orders = (stepOptions = {}) => {
      const j = new TestJourney(compiled(playCampaign()), { user: { level: 3, vip: false }, now: '2026-11-07T05:00:00Z', stepOptions });
      j.event('order.completed', { amount: 2.4 });
      for (let i = 0; i < 10; i++) j.event('post.created');
      j.event('order.completed', { amount: 14.2 });
      j.event('order.completed', { amount: 3.4 });
      return j;
    };
    const now = orders();
    expect(now.currentStates()).toEqual(['rewarded']);
    expect(now.all('runAction').map((a) => [a.action.type, (a.action as { amount?: unknown }).amount])).toEqual([['points', 200]]);
    let asked = 0;
    const before = orders({
      decimals: () => {
        asked++;
        return false;
      },
    });
    expect(before.currentStates()).toEqual(['collecting']);
    expect(asked).toBeGreaterThan(0);
  });
});
