export * from './project-activities';
