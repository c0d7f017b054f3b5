export * from './project.workflow';
export * from './review.workflow';
