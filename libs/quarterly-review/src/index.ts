export * from './review-figures';
export * from './run-review';
