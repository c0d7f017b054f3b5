export * from './project-activities';
export * from './review-activities';
export * from './calendar-activities';
export * from './policy-rollout-activities';
export * from './audit-checkpoint-activities';
export * from './ledger-import-activities';
export * from './file-cleanup-activities';
export * from './digest-activities';
