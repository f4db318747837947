export * from './contract';
export { amountProblem, CURRENCY_CODE, MAX_REWARD_AMOUNT, rewardActionProblem, TOO_LARGE_AMOUNT } from './amounts';
export { isRefusal, rewardIssueOf, rewardStepOutcome } from './outcomes';
