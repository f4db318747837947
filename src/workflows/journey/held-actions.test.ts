import type { ApplicationFailure } from '@temporalio/workflow';
import type { RunAction } from '../../domain/machine';
import { HeldActions } from './held-actions';

// Outside a workflow: a hold's wait never ends here (the decision is what the test reads), and its log goes nowhere.
jest.mock('@temporalio/workflow', () => ({
  ...jest.requireActual<object>('@temporalio/workflow'),
  condition: () => new Promise<never>(() => undefined),
  log: { warn: () => undefined },
}));

const step = (pathId: string, stepId: string): RunAction => ({
  kind: 'runAction',
  pathId,
  stepId,
  action: { type: 'webhook', url: 'https://crm.example/hook' } as unknown as RunAction['action'],
  idempotencyKey: `spring:ann:1:1:${stepId}`,
  causedBy: ['ord-1'],
  summary: stepId,
});

const failureOf = (f: () => unknown): Pick<ApplicationFailure, 'type' | 'message'> | undefined => {
  try {
    f();
    return undefined;
  } catch (err) {
    const { type, message } = err as ApplicationFailure;
    return { type, message };
  }
};

describe('HeldActions: two operators deciding one held step', () => {
  it('refuses a second decision made before the first is carried out, as the updates validator asks', () => {
    const held = new HeldActions(() => undefined);
    void held.hold(step('p1', 'notify-crm'), new Error('503 from the CRM'));
    void held.hold(step('p1', 'bonus'), new Error('pool closed'));
    // Both updates arrive in one activation: the first decides, its holder has not woken yet.
    expect(held.decide({ version: 1, stepId: 'notify-crm' }, 'skip')).toEqual({ pathId: 'p1', stepId: 'notify-crm', decision: 'skip' });
    expect(failureOf(() => held.find({ version: 1, stepId: 'notify-crm' }, { undecided: true }))).toEqual({
      type: 'NotHeld',
      message: 'notify-crm on path p1 was decided already (skip) and is being carried out',
    });
    // A request naming no step takes the one still undecided, not the one decided.
    expect(held.find({ version: 1 }, { undecided: true }).effect.stepId).toBe('bonus');
    // The handler, replaying what its history accepted, still finds the step.
    expect(held.find({ version: 1, stepId: 'notify-crm' }).effect.stepId).toBe('notify-crm');
  });

  it('decides the step the validator chose for a request naming none, though the decided one matches it too', () => {
    const held = new HeldActions(() => undefined);
    void held.hold(step('p1', 'notify-crm'), new Error('503 from the CRM'));
    void held.hold(step('p1', 'bonus'), new Error('pool closed'));
    held.decide({ version: 1, stepId: 'notify-crm' }, 'skip');
    expect(held.find({ version: 1, pathId: 'p1' }, { undecided: true }).effect.stepId).toBe('bonus');
    expect(held.decide({ version: 1, pathId: 'p1' }, 'retry')).toEqual({ pathId: 'p1', stepId: 'bonus', decision: 'retry' });
  });
});
