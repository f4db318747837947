export { compileCampaign } from './compile-campaign';
export { compilePlan, compileStoredCampaign, type CompileOptions } from './compile';
export type { PoolRef } from './context';
export * from './plan';
export { actionsOf } from './steps';
