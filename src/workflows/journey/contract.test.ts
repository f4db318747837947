import { journeyWorkflow } from '../journey.workflow';
import { JOURNEY_WORKFLOW_TYPE, type JourneyWorkflow } from './contract';

describe('the journey contract', () => {
  it('names the workflow type the worker registers (the exported function name)', () => {
    const registered: JourneyWorkflow = journeyWorkflow;
    expect(registered.name).toBe(JOURNEY_WORKFLOW_TYPE);
  });
});
