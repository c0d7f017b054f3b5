export * from './project-activities';
export * from './review-activities';
