export * from './project-activities';
export * from './review-activities';
export * from './calendar-activities';
