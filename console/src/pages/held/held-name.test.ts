import { heldStepName } from './held-name';

const step = (campaign: string, pathId = 'p1', userId = 'u-42', stepId = 'rewarded.0') => ({ campaign, userId, stepId, pathId, workflowId: `journey:${campaign}:${userId}` });

describe('heldStepName', () => {
  it('names the campaign: the same step held for one user in two campaigns gets two names', () => {
    const listed = [step('spring'), step('winback')];
    expect(listed.map((h) => heldStepName(h, listed))).toEqual(['rewarded.0 for u-42 in spring', 'rewarded.0 for u-42 in winback']);
  });

  it('names the path only when the journey holds the step on several paths', () => {
    const listed = [step('spring', 'p1'), step('spring', 'p2'), step('winback', 'p1')];
    expect(listed.map((h) => heldStepName(h, listed))).toEqual(['rewarded.0 for u-42 in spring on path p1', 'rewarded.0 for u-42 in spring on path p2', 'rewarded.0 for u-42 in winback']);
    // Another user's journey holding the same step on another path changes nothing.
    const others = [step('spring', 'p1'), step('spring', 'p2', 'u-7')];
    expect(heldStepName(others[0], others)).toBe('rewarded.0 for u-42 in spring');
  });
});
