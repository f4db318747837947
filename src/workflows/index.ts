export * from './journey.workflow';
export * from './batch-entry.workflow';
export * from './retention.workflow';
