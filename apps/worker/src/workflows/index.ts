export * from './project.workflow';
export * from './review.workflow';
export * from './policy-rollout.workflow';
export * from './audit-checkpoint.workflow';
export * from './ledger-import.workflow';
export * from './file-cleanup.workflow';
export * from './digest.workflow';
