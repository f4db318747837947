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

describe('HeldActions.validate: the hold the operator saw', () => {
  it('refuses a decision sent for an earlier hold of a step held again since (NotHeld), and takes the one for this hold', () => {
    const held = new HeldActions(() => undefined);
    void held.hold(step('p1', 'notify-crm'), new Error('400 from the CRM'), '2025-03-01T10:00:05.000Z');
    // The operator read the first hold (10:00:00); it was retried, failed again and is held since 10:00:05.
    expect(failureOf(() => held.validate({ version: 1, stepId: 'notify-crm', since: '2025-03-01T10:00:00.000Z' }))).toEqual({
      type: 'NotHeld',
      message: 'notify-crm on path p1 is held since 2025-03-01T10:00:05.000Z, not since 2025-03-01T10:00:00.000Z: it was held again after the hold that was seen; read the journey again',
    });
    // The same instant in another spelling is this hold; no `since` asks nothing of the hold, as before.
    expect(held.validate({ version: 1, stepId: 'notify-crm', since: '2025-03-01T11:00:05+01:00' }).since).toBe('2025-03-01T10:00:05.000Z');
    expect(held.validate({ version: 1 }).effect.stepId).toBe('notify-crm');
    // The handler (replayed without its validator) never reads `since`: it decides the step as named.
    expect(held.decide({ version: 1, stepId: 'notify-crm', since: '2025-03-01T10:00:00.000Z' }, 'skip')).toEqual({ pathId: 'p1', stepId: 'notify-crm', decision: 'skip' });
  });

  it('still refuses a step decided already, whatever `since` says', () => {
    const held = new HeldActions(() => undefined);
    void held.hold(step('p1', 'notify-crm'), new Error('503'), '2025-03-01T10:00:00.000Z');
    held.decide({ version: 1 }, 'retry');
    expect(failureOf(() => held.validate({ version: 1, since: '2025-03-01T10:00:00.000Z' }))?.message).toBe('notify-crm on path p1 was decided already (retry) and is being carried out');
  });
});
