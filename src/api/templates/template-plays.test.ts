import path from 'node:path';
import { renderTemplate } from '../../domain/templates';
import { compiled, TestJourney } from '../../domain/testing/journey';
import { loadTemplateFiles } from './template-files';

/** The plays do what their descriptions say, run on the journey machine (pure; the workflow runs the same steps). */
const templates = new Map(loadTemplateFiles(path.join(__dirname, '../../../examples/templates')).map((t) => [t.key, t]));

function journeyOf(key: string, parameters: Record<string, unknown>): TestJourney {
  const template = templates.get(key);
  if (!template) throw new Error(`no template ${key}`);
  const rendered = renderTemplate(template, { parameters });
  if (!rendered.ok) throw new Error(JSON.stringify(rendered.issues));
  return new TestJourney(compiled(rendered.value.campaign), { now: '2026-11-21T08:00:00Z' });
}

const DAY = 24 * 3600;

describe('sign-in-streak', () => {
  it('rewards three sign-ins on three days in a row', () => {
    const j = journeyOf('sign-in-streak', { days: 3 });
    j.event('user.signed_in', { day: '2026-11-21' });
    j.wait(3600).event('user.signed_in', { day: '2026-11-21' });
    j.wait(DAY).event('user.signed_in', { day: '2026-11-22' });
    expect(j.currentStates()).toEqual(['streak']);
    j.wait(DAY).event('user.signed_in', { day: '2026-11-23' });
    expect(j.currentStates()).toEqual(['rewarded']);
    expect(j.all('runAction').map((a) => a.action)).toEqual([expect.objectContaining({ type: 'points', amount: 100 })]);
    j.succeedAll();
    expect(j.state.finished.map((f) => f.state)).toEqual(['rewarded']);
  });

  it('breaks the streak when a day is missed', () => {
    const j = journeyOf('sign-in-streak', { days: 3 });
    j.event('user.signed_in', { day: '2026-11-21' });
    j.wait(DAY).event('user.signed_in', { day: '2026-11-22' });
    j.wait(2 * DAY).event('user.signed_in', { day: '2026-11-24' });
    expect(j.state.finished.map((f) => f.state)).toEqual(['broken']);
  });
});

describe('tiered-rewards', () => {
  const rewardSteps = (j: TestJourney) => j.all('runAction').map((a) => a.stepId);

  it('tries gold for a big order, then silver when gold does not succeed, then points', () => {
    const j = journeyOf('tiered-rewards', { silverMin: 50, goldMin: 200 });
    j.event('order.completed', { amount: 250 });
    expect(rewardSteps(j)).toEqual(['gold']);
    j.outcome('gold', 'exhausted');
    expect(rewardSteps(j)).toEqual(['gold', 'silver']);
    j.outcome('silver', 'exhausted');
    expect(rewardSteps(j)).toEqual(['gold', 'silver', 'fallback']);
  });

  it('skips gold below its tier, and nothing below silver', () => {
    const j = journeyOf('tiered-rewards', { silverMin: 50, goldMin: 200 });
    j.event('order.completed', { amount: 80 });
    expect(rewardSteps(j)).toEqual(['silver']);
    const small = journeyOf('tiered-rewards', { silverMin: 50, goldMin: 200 });
    small.event('order.completed', { amount: 20 });
    expect(small.currentStates()).toEqual([]);
    expect(rewardSteps(small)).toEqual([]);
  });
});
