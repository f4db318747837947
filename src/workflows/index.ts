export * from './journey.workflow';
export * from './batch-entry.workflow';
export * from './retention.workflow';
export * from './archived-campaign.workflow';
export * from './campaign-schedule.workflow';
