export * from './contract';
export { amountProblem, CURRENCY_CODE, rewardActionProblem } from './amounts';
export { isRefusal, rewardIssueOf, rewardStepOutcome } from './outcomes';
